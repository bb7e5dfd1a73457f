import type { Report } from '../../core/verify/report.js';

/** Saves the report as docprov verify --json prints it. */
export function downloadReport(r: Report): void {
  const a = document.createElement('a');
  // A data: URL: saving it is no request (a blob: URL's load would show as one).
  a.href = `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(r, null, 2) + '\n')}`;
  a.download = 'docprov-report.json';
  a.click();
}
