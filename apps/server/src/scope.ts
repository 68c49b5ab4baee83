import type { Park, Submission, SubmissionFilter, User } from '@yuanping/storage';

/** Statuses an applicant owns alone: reviewers never see these. */
export const PRIVATE_STATUSES = ['draft'];

/** Whether `u` may read submission `s`. Reviewers see only their own org unit, never drafts. */
export function canSeeSubmission(u: User, s: Submission): boolean {
  switch (u.role) {
    case 'applicant':
      return u.parkId !== null && s.parkId === u.parkId;
    case 'county':
      return s.countyCode === u.orgCode && !PRIVATE_STATUSES.includes(s.status);
    case 'city':
      return s.cityCode === u.orgCode && !PRIVATE_STATUSES.includes(s.status);
    case 'province':
    case 'admin':
      return !PRIVATE_STATUSES.includes(s.status);
  }
}

/** The list filter that restricts a listing to what `u` may read. */
export function submissionFilterFor(u: User): SubmissionFilter {
  switch (u.role) {
    case 'applicant':
      return { parkId: u.parkId ?? '\u0000none' };
    case 'county':
      return { countyCode: u.orgCode ?? '\u0000none', excludeStatuses: PRIVATE_STATUSES };
    case 'city':
      return { cityCode: u.orgCode ?? '\u0000none', excludeStatuses: PRIVATE_STATUSES };
    case 'province':
    case 'admin':
      return { excludeStatuses: PRIVATE_STATUSES };
  }
}

export function canSeePark(u: User, p: Park): boolean {
  switch (u.role) {
    case 'applicant':
      return u.parkId === p.id;
    case 'county':
      return p.countyCode === u.orgCode;
    case 'city':
      return p.cityCode === u.orgCode;
    case 'province':
    case 'admin':
      return true;
  }
}

export function parkFilterFor(u: User): { countyCode?: string; cityCode?: string } | 'own' {
  switch (u.role) {
    case 'applicant':
      return 'own';
    case 'county':
      return { countyCode: u.orgCode ?? '\u0000none' };
    case 'city':
      return { cityCode: u.orgCode ?? '\u0000none' };
    default:
      return {};
  }
}
