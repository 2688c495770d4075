/**
 * Libraries only rare paths need: workbooks (exceljs), Word and PDF files (docx, pdfkit, fontkit),
 * zip archives (fflate) and the S3 file store. Together they hold some 70 MB once loaded, so the
 * server loads each at its first use instead of at start: an instance that answers chat and never
 * exports a file does not carry them. Each loader imports once; a failed import is tried again.
 */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}

export const loadExcel = once(async () => (await import('exceljs')).default);
export const loadDocx = once(() => import('docx'));
export const loadPdfKit = once(async () => (await import('pdfkit')).default);
export const loadFontkit = once(() => import('fontkit'));
export const loadFflate = once(() => import('fflate'));
export const loadS3 = once(() => import('@aws-sdk/client-s3'));
