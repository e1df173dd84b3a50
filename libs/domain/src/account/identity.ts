/** Identity verification (本人確認) of an account; `submitted` means under review. */
export type IdentityStatus = 'none' | 'submitted' | 'approved' | 'rejected';

export const IDENTITY_STATUSES: readonly IdentityStatus[] = ['none', 'submitted', 'approved', 'rejected'];

/** What the identity verification service can report; `none` is only the state before any report. */
export type ReportedIdentityStatus = Exclude<IdentityStatus, 'none'>;

export const REPORTED_IDENTITY_STATUSES: readonly ReportedIdentityStatus[] = ['submitted', 'approved', 'rejected'];
