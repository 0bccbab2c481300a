import { currentToken } from '../auth/session';
import { ApiError } from '../api/client';

/** Downloads a file from the API with the session's token (a plain link would carry none). */
export async function downloadFile(path: string, fileName: string): Promise<void> {
  const token = currentToken();
  const res = await fetch(path, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    throw new ApiError(res.status, body.message ?? `下载失败（${res.status}）`);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads an attachment with the session's token. */
export async function downloadAttachment(id: string, fileName: string): Promise<void> {
  await downloadFile(`/api/v1/attachments/${encodeURIComponent(id)}`, fileName);
}
