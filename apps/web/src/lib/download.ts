/** Download a file the server generates (an official xlsx), named by its Content-Disposition. */
import { ApiFailure, csrfHeaders } from './api';

/** The file name of a Content-Disposition header: `filename*` (RFC 5987) first, else `filename`. */
export function dispositionName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain?.[1]?.trim() || fallback;
}

export async function downloadFile(url: string, fallback: string, post?: unknown): Promise<string> {
  let res: Response;
  try {
    res = await fetch(
      url,
      post === undefined
        ? { credentials: 'same-origin' }
        : { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', ...csrfHeaders() }, body: JSON.stringify(post) },
    );
  } catch {
    throw new ApiFailure(0, 'NETWORK', '网络连接失败，请检查网络后重试');
  }
  if (!res.ok) {
    let p: { code?: string; message?: string } = {};
    try {
      p = (await res.json()) as typeof p;
    } catch {
      /* not JSON */
    }
    throw new ApiFailure(res.status, p.code ?? String(res.status), p.message ?? `下载失败（${res.status}）`);
  }
  const name = dispositionName(res.headers.get('content-disposition'), fallback);
  saveBlob(await res.blob(), name);
  return name;
}

/** Hands a file made in the page to the browser's download. */
export function saveBlob(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
