import { useQuery } from '@tanstack/react-query';

import { featuresOf, type ApiFeatures, type OpenApiDocument } from './feature-detect';

export type { ApiFeatures };

export async function loadFeatures(): Promise<ApiFeatures> {
  const res = await fetch('/api/docs-json');
  if (!res.ok) throw new Error(`接口说明读取失败（${res.status}）`);
  return featuresOf((await res.json()) as OpenApiDocument);
}

export function useFeatures() {
  return useQuery({ queryKey: ['api-features'], queryFn: loadFeatures, staleTime: 5 * 60_000 });
}

/** The path of a user route the server offers, e.g. /users/{id}/deactivate. */
export async function userRoute(kind: 'deactivate' | 'password'): Promise<string | null> {
  const res = await fetch('/api/docs-json');
  const doc = (await res.json()) as OpenApiDocument;
  const pattern =
    kind === 'deactivate'
      ? /^\/api\/v1\/users\/\{[^}]+\}\/(deactivate|active|status)$/
      : /^\/api\/v1\/users\/\{[^}]+\}\/(password|reset-password|password-reset)$/;
  return Object.keys(doc.paths ?? {}).find((p) => pattern.test(p)) ?? null;
}
