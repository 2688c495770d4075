import { Document, Packer, Paragraph } from 'docx';
import PDFDocument from 'pdfkit';

export interface SampleFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

/** A real 1×1 PNG, as a phone's screenshot would be (signature, IHDR, IDAT, IEND). */
export function samplePng(name = '现场照片.png'): SampleFile {
  const bytes = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  return { name, contentType: 'image/png', bytes };
}

/** A real one-page PDF. */
export async function samplePdf(name = '情况说明.pdf'): Promise<SampleFile> {
  const doc = new PDFDocument({ size: 'A4', info: { CreationDate: new Date('2026-11-03T00:00:00Z') } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.text('Statement of circumstances, RC2026 test evidence.');
  doc.end();
  await done;
  return { name, contentType: 'application/pdf', bytes: Buffer.concat(chunks) };
}

/** A real .docx (a zip with word/document.xml). */
export async function sampleDocx(name = '会议纪要.docx'): Promise<SampleFile> {
  const bytes = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('集体研究会议纪要（测试）')] }] }));
  return { name, contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes };
}
