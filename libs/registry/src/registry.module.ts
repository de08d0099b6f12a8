import { Module } from '@nestjs/common';
import { ChangeRecorder } from '@qc/changes';
import { MergeSessionFactory } from './merge-session';

@Module({ providers: [ChangeRecorder, MergeSessionFactory], exports: [MergeSessionFactory] })
export class RegistryModule {}
