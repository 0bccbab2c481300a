/**
 * What the server accepts as report attachments (src/submissions/attachment-rules.ts), checked in
 * the browser before anything is uploaded. The server checks again, by content.
 */
export const ALLOWED_EXTENSIONS = [
  '.pdf',
  '.docx',
  '.xlsx',
  '.pptx',
  '.doc',
  '.xls',
  '.jpg',
  '.jpeg',
  '.png',
  '.txt',
  '.zip',
] as const;
export const MAX_ATTACHMENTS = 5;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

/** Why a file cannot be attached, or null when it can. */
export function attachmentProblem(file: { name: string; size: number }): string | null {
  if (!(ALLOWED_EXTENSIONS as readonly string[]).includes(extensionOf(file.name))) {
    return `“${file.name}”的类型不支持，只能上传 ${ALLOWED_EXTENSIONS.join('、')} 文件`;
  }
  if (file.size === 0) return `“${file.name}”是空文件`;
  if (file.size > MAX_ATTACHMENT_BYTES) {
    return `“${file.name}”超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`;
  }
  return null;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
