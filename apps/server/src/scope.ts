import type { Attachment, Park, Storage, Submission, SubmissionFilter, User } from '@yuanping/storage';
import { ApiError } from './errors.js';

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

/**
 * The attachment `id` (without its content) when `u` may see its submission; otherwise the same
 * 404 whether it is missing or someone else's.
 */
export async function visibleAttachment(storage: Storage, u: User, id: string): Promise<Attachment> {
  const a = await storage.getAttachmentMeta(id);
  const s = a ? await storage.getSubmission(a.submissionId, { evaluation: false }) : null;
  if (!a || !s || !canSeeSubmission(u, s)) throw new ApiError('NOT_FOUND', { what: '附件' });
  return a;
}
