import { useSyncExternalStore } from 'react';

export type Role = 'admin' | 'leader' | 'supervisor' | 'unit_head' | 'unit_member';

export interface SessionUser {
  userId: string;
  role: Role;
  unitId: string | null;
  name: string;
}

export interface Session {
  token: string;
  user: SessionUser;
}

/** Why the last session ended, for the sign-in page to say. */
export type EndReason = 'signed-out' | 'expired';

const KEY = 'duban.session';

let session: Session | null = read();
let endReason: EndReason | null = null;
const listeners = new Set<() => void>();

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<Session>;
    return typeof value.token === 'string' && value.user ? (value as Session) : null;
  } catch {
    return null;
  }
}

function emit(): void {
  for (const l of listeners) l();
}

/** Kept in localStorage so a reload does not sign out; cleared on sign-out and on 401. */
export function startSession(next: Session): void {
  session = next;
  endReason = null;
  localStorage.setItem(KEY, JSON.stringify(next));
  emit();
}

export function updateUser(user: SessionUser): void {
  if (!session) return;
  startSession({ ...session, user });
}

export function clearSession(reason: EndReason): void {
  localStorage.removeItem(KEY);
  if (session === null) return;
  session = null;
  endReason = reason;
  emit();
}

export function currentToken(): string | null {
  return session?.token ?? null;
}

export function lastEndReason(): EndReason | null {
  return endReason;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, () => session);
}

// Another tab signing in or out changes this one too.
window.addEventListener('storage', (event) => {
  if (event.key !== KEY) return;
  const next = read();
  if (next?.token === session?.token) return;
  session = next;
  if (!next) endReason = 'signed-out';
  emit();
});

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  leader: '局领导',
  supervisor: '督导室',
  unit_head: '科室负责人',
  unit_member: '科室联络员',
};

export const isUnitRole = (role: Role) => role === 'unit_head' || role === 'unit_member';

/** Where each role starts. */
export function homeOf(role: Role): string {
  switch (role) {
    case 'unit_head':
    case 'unit_member':
      return '/tasks';
    case 'supervisor':
      return '/desk/approvals';
    case 'leader':
      return '/overview';
    case 'admin':
      return '/admin/users';
  }
}
