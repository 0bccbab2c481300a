import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Where `npm run build` puts the console (vite output), relative to the project root. */
export const CONSOLE_DIR = join('dist', 'web');

/**
 * The console's own policy. Styles may be inline because Ant Design injects its CSS at run time;
 * scripts may not. An e-mail shown in the outbox viewer sits in a sandboxed srcdoc frame, which
 * inherits this policy and adds a stricter one of its own.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface ConsoleSettings {
  /** The IANA zone the console shows dates in (BUSINESS_TZ). */
  businessTz: string;
}

/** The console's settings from the application's configuration. */
export function consoleSettings(app: INestApplication): ConsoleSettings {
  let config: AppConfig | undefined;
  try {
    config = app.get<AppConfig>(APP_CONFIG, { strict: false });
  } catch {
    config = undefined;
  }
  return { businessTz: config?.businessTz ?? 'Asia/Shanghai' };
}

const isApiPath = (path: string) =>
  path === '/api' || path.startsWith('/api/') || path.startsWith('/ics/');

/**
 * Serves the built web console at `/`: hashed assets with long caching, and index.html for every
 * other GET that asks for a page, so client-side routes survive a reload. Nothing under /api is
 * ever answered here; those requests fall through to the API (and its JSON 404).
 */
export function serveConsole(
  app: INestApplication,
  root: string,
  settings: ConsoleSettings = consoleSettings(app),
): void {
  const express = app as NestExpressApplication;
  const dir = join(root, CONSOLE_DIR);
  const indexFile = join(dir, 'index.html');
  let page: string | null = null;
  const indexHtml = (): string | null => {
    if (page === null && existsSync(indexFile)) {
      page = readFileSync(indexFile, 'utf8').replace(
        '__BUSINESS_TZ__',
        settings.businessTz.replace(/[^A-Za-z0-9_+\-/]/g, ''),
      );
    }
    return page;
  };

  express.useStaticAssets(join(dir, 'assets'), {
    prefix: '/assets/',
    index: false,
    immutable: true,
    maxAge: '365d',
    fallthrough: false,
  });

  express.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path)) return next();
    if (!req.accepts('html')) return next();
    const html = indexHtml();
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-cache');
    if (html === null) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('督办平台的网页尚未构建：请运行 npm run build（npm start 会自动构建）。');
      return;
    }
    res.type('html').send(html);
  });
}
