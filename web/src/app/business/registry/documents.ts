import { Component, computed, inject, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { components } from '../../api/schema';
import { newKey } from '../../core/files';
import { ApiProblem, call, describe, refused } from '../../core/problem';
import { Session } from '../../core/session';

type Kind = components['schemas']['DocumentKind'];
export type DocumentRef = components['schemas']['DocumentRef'];

/** The kinds of supporting documents, one of each per report. */
export const KINDS: readonly { kind: Kind; text: string }[] = [
  { kind: 'invoice_copy', text: 'Invoice copy' },
  { kind: 'purchase_order', text: 'Purchase order' },
  { kind: 'delivery_proof', text: 'Proof of delivery' },
  { kind: 'ledger_statement', text: 'Ledger statement' },
];

interface Slot {
  kind: Kind;
  text: string;
  file: string | null;
  size: number;
  state: 'empty' | 'uploading' | 'done' | 'failed';
  uploadId: string | null;
  message: string | null;
}

/**
 * Up to four supporting documents, one of each kind, uploaded from the
 * browser as soon as they are picked: `POST /v1/uploads` gives a slot and
 * a link, the file is PUT there with the same content type, and the
 * upload's id is what a report or dispute names.
 */
@Component({
  selector: 'app-document-uploads',
  imports: [MatButtonModule, MatProgressBarModule],
  template: `
    <fieldset class="docs">
      <legend>Supporting documents (PDF or photo, up to 10 MB each)</legend>
      @for (s of slots(); track s.kind) {
        <div class="slot" [class.done]="s.state === 'done'" [class.failed]="s.state === 'failed'">
          <label class="pick" [for]="'doc-' + s.kind">
            <span class="kind">{{ s.text }}</span>
            <span class="file">{{ s.file ?? 'Choose a file…' }}</span>
          </label>
          <input
            class="sr-only"
            type="file"
            [id]="'doc-' + s.kind"
            accept="application/pdf,image/jpeg,image/png,image/webp"
            (change)="picked(s.kind, $event)"
          />
          <span class="status" aria-live="polite">
            @switch (s.state) {
              @case ('uploading') {
                Uploading…
              }
              @case ('done') {
                ✓ Uploaded ({{ kb(s.size) }} kB)
              }
              @case ('failed') {
                <span class="error-text">✗ {{ s.message }}</span>
              }
            }
          </span>
          @if (s.state === 'done' || s.state === 'failed') {
            <button mat-button type="button" (click)="clear(s.kind)" [attr.aria-label]="'Remove the ' + s.text.toLowerCase()">Remove</button>
          }
          @if (s.state === 'uploading') {
            <mat-progress-bar mode="indeterminate" [attr.aria-label]="'Uploading the ' + s.text.toLowerCase()" />
          }
        </div>
      }
    </fieldset>
  `,
  styles: `
    .docs { border: 1px solid var(--mat-sys-outline-variant, #ddd); border-radius: 8px; padding: 8px 12px 12px; margin: 8px 0 16px; }
    legend { padding: 0 4px; color: var(--mat-sys-on-surface-variant); }
    .slot { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; padding: 6px 0; border-bottom: 1px dashed var(--mat-sys-outline-variant, #ddd); }
    .slot:last-child { border-bottom: 0; }
    .pick {
      display: inline-flex; flex-direction: column; min-width: 220px; min-height: 44px; justify-content: center; cursor: pointer;
      padding: 4px 12px; border-radius: 8px; border: 1px solid var(--mat-sys-outline, #777);
    }
    .pick:hover { background: var(--mat-sys-surface-container-high, #eee); }
    .slot:focus-within .pick { outline: 2px solid var(--mat-sys-primary); outline-offset: 2px; }
    .kind { font-weight: 500; }
    .file { font-size: 0.85rem; color: var(--mat-sys-on-surface-variant); overflow-wrap: anywhere; }
    .slot.done .pick { border-color: #0b5a1f; }
    .slot.failed .pick { border-color: var(--mat-sys-error); }
    .status { font-size: 0.9rem; }
    mat-progress-bar { flex-basis: 100%; }
  `,
})
export class DocumentUploads {
  private readonly session = inject(Session);
  /** The uploaded documents, after every change. */
  readonly changed = output<DocumentRef[]>();
  readonly slots = signal<Slot[]>(KINDS.map((k) => ({ ...k, file: null, size: 0, state: 'empty', uploadId: null, message: null })));
  /** Whether a file is still being sent. */
  readonly uploading = computed(() => this.slots().some((s) => s.state === 'uploading'));
  readonly refs = computed<DocumentRef[]>(() =>
    this.slots()
      .filter((s) => s.state === 'done' && s.uploadId)
      .map((s) => ({ kind: s.kind, upload_id: s.uploadId! })),
  );

  /**
   * Each kind's `Idempotency-Key` with the file it was made for: picking the
   * same file again after a failure is a retry of the same upload.
   */
  private readonly keys = new Map<Kind, { file: string; key: string }>();

  private keyFor(kind: Kind, file: File): string {
    const id = `${file.name}|${file.size}|${file.lastModified}`;
    const k = this.keys.get(kind);
    if (k?.file === id) return k.key;
    const key = newKey();
    this.keys.set(kind, { file: id, key });
    return key;
  }

  kb(bytes: number): string {
    return Math.max(1, Math.round(bytes / 1024)).toString();
  }

  private set(kind: Kind, change: Partial<Slot>): void {
    this.slots.update((slots) => slots.map((s) => (s.kind === kind ? { ...s, ...change } : s)));
    this.changed.emit(this.refs());
  }

  clear(kind: Kind): void {
    const input = document.getElementById(`doc-${kind}`) as HTMLInputElement | null;
    if (input) input.value = '';
    this.set(kind, { file: null, size: 0, state: 'empty', uploadId: null, message: null });
  }

  async picked(kind: Kind, event: Event): Promise<void> {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    this.set(kind, { file: file.name, size: file.size, state: 'uploading', uploadId: null, message: null });
    try {
      const slot = await call(
        this.session.api.POST('/v1/uploads', {
          params: { header: { 'Idempotency-Key': this.keyFor(kind, file) } },
          body: { content_type: file.type || 'application/octet-stream', size_bytes: file.size },
        }),
      );
      const sent = await fetch(slot.url, { method: slot.method || 'PUT', headers: { 'Content-Type': slot.content_type }, body: file });
      if (!sent.ok) {
        // The link refused the file (expired, say): a replay gives the same link, so a new key.
        if (sent.status < 500) this.keys.delete(kind);
        throw new Error(`The file was refused (${sent.status}). Try again or pick another file.`);
      }
      this.keys.delete(kind);
      this.set(kind, { state: 'done', uploadId: slot.id });
    } catch (e) {
      // Not recorded: the next attempt is a new request.
      if (refused(e)) this.keys.delete(kind);
      const message =
        e instanceof ApiProblem
          ? describe(e)
          : e instanceof TypeError
            ? 'The file could not be sent. Check the connection and try again.'
            : e instanceof Error
              ? e.message
              : describe(e);
      this.set(kind, { state: 'failed', message });
    }
  }
}
