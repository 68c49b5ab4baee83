/**
 * Long work: an export or import of more rows than this runs as a job on the server (progress,
 * cancel, the result kept for download) instead of in one request. The server and the web app
 * read it from here.
 */
export const LONG_WORK_ROWS = 1000;

/** The kind of the jobs that write an xlsx export (their result: the file, GET /api/jobs/:id/result). */
export const EXPORT_JOB_KIND = 'export.xlsx';
