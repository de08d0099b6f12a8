import { ApiKey } from './api-key.entity';
import { AuditLog } from './audit-log.entity';
import { Building } from './building.entity';
import { ChangeLog } from './change-log.entity';
import { Compound } from './compound.entity';
import { Division } from './division.entity';
import { Grid } from './grid.entity';
import { ImportBatch } from './import-batch.entity';
import { InboxRun } from './inbox-run.entity';
import { JointOrganizationMember } from './joint-organization-member.entity';
import { Membership } from './membership.entity';
import { PartyOrganization } from './party-organization.entity';
import { Person } from './person.entity';
import { PropertyCompany } from './property-company.entity';
import { ExternalRef } from './external-ref.entity';
import { EntityMerge } from './entity-merge.entity';
import { RecordLink, RecordReference } from './record-link.entity';
import { RecordWarning } from './record-warning.entity';
import { Rejection } from './rejection.entity';
import { ReviewTask } from './review-task.entity';
import { RoleAssignment } from './role-assignment.entity';
import { SourceHeader } from './source-header.entity';
import { SourceRecord } from './source-record.entity';
import { StageRange } from './stage-range.entity';

export * from './columns';
export * from './api-key.entity';
export * from './audit-log.entity';
export * from './building.entity';
export * from './change-log.entity';
export * from './compound.entity';
export * from './division.entity';
export * from './grid.entity';
export * from './import-batch.entity';
export * from './inbox-run.entity';
export * from './joint-organization-member.entity';
export * from './membership.entity';
export * from './party-organization.entity';
export * from './person.entity';
export * from './property-company.entity';
export * from './external-ref.entity';
export * from './entity-merge.entity';
export * from './record-link.entity';
export * from './record-warning.entity';
export * from './rejection.entity';
export * from './review-task.entity';
export * from './role-assignment.entity';
export * from './source-header.entity';
export * from './source-record.entity';
export * from './stage-range.entity';

export const ENTITIES = [
  Division, Grid, Compound, Building, PropertyCompany, PartyOrganization, Person, Membership,
  RoleAssignment, ReviewTask, ExternalRef, ImportBatch, SourceHeader, SourceRecord, RecordLink, RecordReference, Rejection, ChangeLog, AuditLog, ApiKey, EntityMerge,
  JointOrganizationMember, RecordWarning, InboxRun, StageRange,
];
