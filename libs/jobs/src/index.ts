export * from './job-names';
export * from './job-handler';
export * from './job-queue';
export * from './jobs.module';
export { InProcessJobQueue } from './in-process-job-queue';
