/**
 * The uploaded materials (x-file attachments) as the bound document shows them:
 * - a PDF: each of its pages rendered (pdf.js, loaded only when a PDF is printed) as a page of
 *   the document, so its pages carry the document's page numbers;
 * - an image: one page, fitted to the page;
 * - a video, or a file that cannot be printed: listed by name, type, size (and a video's
 *   duration, read by the server), to be handed in on the electronic copy.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { Attachment } from '../lib/api';
import { api } from '../lib/api';

export type Material =
  | { kind: 'pdf'; att: Attachment; pages: number }
  | { kind: 'image'; att: Attachment; url: string }
  | { kind: 'video'; att: Attachment; durationSeconds: number | null }
  | { kind: 'other'; att: Attachment; note?: string };

const DPI = 150;
/** the image of a PDF page that could not be rendered */
export const FAILED = 'failed';

let pdfjs: Promise<typeof import('pdfjs-dist')> | null = null;
function loadPdfjs(): Promise<typeof import('pdfjs-dist')> {
  pdfjs ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]).then(([lib, worker]) => {
    lib.GlobalWorkerOptions.workerSrc = worker.default;
    return lib;
  });
  return pdfjs;
}

export interface MaterialSet {
  materials: Map<string, Material>;
  /** rendered page images of the PDFs: `${attachment id}#${page}` → object URL */
  images: Map<string, string>;
  /** renders every PDF page (call once the layout no longer needs the DOM); resolves when all are done */
  render(onPage: () => void): Promise<void>;
  dispose(): void;
}

export async function loadMaterials(atts: Attachment[]): Promise<MaterialSet> {
  const materials = new Map<string, Material>();
  const docs = new Map<string, PDFDocumentProxy>();
  const images = new Map<string, string>();
  const objectUrls: string[] = [];
  await Promise.all(
    atts.map(async (att) => {
      const url = `/api/attachments/${encodeURIComponent(att.id)}`;
      if (att.mime === 'application/pdf') {
        try {
          const lib = await loadPdfjs();
          const bytes = await (await fetch(url, { credentials: 'same-origin' })).arrayBuffer();
          const doc = await lib.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, enableXfa: false }).promise;
          docs.set(att.id, doc);
          materials.set(att.id, { kind: 'pdf', att, pages: doc.numPages });
        } catch {
          materials.set(att.id, { kind: 'other', att, note: '无法读取此 PDF（可能已加密或损坏）' });
        }
      } else if (att.mime.startsWith('image/')) {
        // loaded and decoded before the document is ready to print
        try {
          const blob = await (await fetch(url, { credentials: 'same-origin' })).blob();
          const local = URL.createObjectURL(blob);
          objectUrls.push(local);
          const img = new Image();
          img.src = local;
          await img.decode();
          materials.set(att.id, { kind: 'image', att, url: local });
        } catch {
          materials.set(att.id, { kind: 'other', att, note: '无法读取此图片' });
        }
      } else if (att.mime.startsWith('video/')) {
        const info = await api.get('/api/attachments/{id}/info', { params: { id: att.id } }).catch(() => ({ durationSeconds: null }));
        materials.set(att.id, { kind: 'video', att, durationSeconds: info.durationSeconds });
      } else {
        materials.set(att.id, { kind: 'other', att });
      }
    }),
  );
  let disposed = false;
  return {
    materials,
    images,
    async render(onPage) {
      for (const [id, doc] of docs) {
        for (let n = 1; n <= doc.numPages && !disposed; n++) {
          let url = FAILED;
          try {
            const page = await doc.getPage(n);
            const viewport = page.getViewport({ scale: DPI / 72 });
            const canvas = document.createElement('canvas');
            canvas.width = Math.ceil(viewport.width);
            canvas.height = Math.ceil(viewport.height);
            const ctx = canvas.getContext('2d');
            if (ctx) {
              ctx.fillStyle = '#fff';
              ctx.fillRect(0, 0, canvas.width, canvas.height);
              await page.render({ canvasContext: ctx, canvas, viewport }).promise;
              const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
              if (blob) url = URL.createObjectURL(blob);
            }
            page.cleanup();
          } catch {
            /* the page says so in print: 此页无法生成图像 */
          }
          if (disposed) break;
          images.set(`${id}#${n}`, url);
          onPage();
        }
      }
    },
    dispose() {
      disposed = true;
      for (const u of [...images.values(), ...objectUrls]) if (u !== FAILED) URL.revokeObjectURL(u);
      for (const d of docs.values()) void d.destroy();
    },
  };
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m ? `${m} 分 ${s % 60} 秒` : `${s} 秒`;
}

export function formatSize(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} 字节`;
}

export const MIME_LABELS: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG 图片',
  'image/jpeg': 'JPG 图片',
  'video/mp4': 'MP4 视频',
  'video/quicktime': 'MOV 视频',
  'video/x-msvideo': 'AVI 视频',
};
