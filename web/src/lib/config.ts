/** The business time zone, written into the page by the server (BUSINESS_TZ). */
export const BUSINESS_TZ: string = (() => {
  const value = document.querySelector<HTMLMetaElement>('meta[name="duban-tz"]')?.content ?? '';
  if (!value || value.startsWith('__')) return 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value;
  } catch {
    return 'Asia/Shanghai';
  }
})();
