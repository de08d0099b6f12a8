import { fileNameOf } from './lib/download';
import { SseParser } from './lib/sse';

const KEY_STORAGE = 'qc.apiKey';

export function storedKey(): string {
  return sessionStorage.getItem(KEY_STORAGE) ?? '';
}

export function storeKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

/** A refusal from the API: its status and, when it sent one, its message. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** What a refusal means to the person at the screen. */
export function describeError(err: unknown): string {
  if (!(err instanceof ApiError)) return `无法连接服务器：${err instanceof Error ? err.message : String(err)}`;
  switch (err.status) {
    case 401: return '密钥无效或已被吊销（401）。请检查密钥是否完整复制。';
    case 403: return '此密钥没有执行该操作的权限（403）。';
    case 404: return `未找到（404）：${err.message}`;
    case 409: return `无法执行（409）：${err.message}`;
    case 429: return '请求过于频繁（429），请稍后再试。';
    default: return `服务器拒绝了请求（${err.status}）：${err.message}`;
  }
}

/** A /v1 request with the stored key; anything but 2xx or 304 becomes an ApiError. */
export async function request(path: string, init: RequestInit = {}, key = storedKey()): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${key}`);
  const response = await fetch(path, { ...init, headers });
  if (!response.ok && response.status !== 304) {
    const body = await response.json().catch(() => ({} as { message?: string }));
    throw new ApiError(response.status, body.message ?? response.statusText);
  }
  return response;
}

export async function getJson<T>(path: string): Promise<T> {
  return (await request(path)).json() as Promise<T>;
}

export async function postJson<T>(path: string, body?: object): Promise<T> {
  const response = await request(path, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : { method: 'POST' });
  return response.json() as Promise<T>;
}

/** A route another part of the API may not have yet answers 404: the page says so instead of failing. */
export async function optional<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** Fetches a file with the key (a plain link could not send it) and saves it under the server's name. */
export async function download(path: string, fallbackName: string): Promise<string> {
  const response = await request(path);
  const name = fileNameOf(response.headers.get('content-disposition')) ?? fallbackName;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  return name;
}

/** Reads a Server-Sent Events stream with the key, calling onEvent per event until it ends or is aborted. */
export async function readEvents(path: string, signal: AbortSignal, onEvent: (event: string, data: string) => void): Promise<void> {
  const response = await request(path, { headers: { accept: 'text/event-stream' }, signal });
  if (!response.body) throw new ApiError(response.status, 'no event stream');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    for (const e of parser.push(value)) onEvent(e.event, e.data);
  }
}

export interface Me { name: string; scopes: string[]; mayReadPii: boolean }
