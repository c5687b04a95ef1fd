import { Component, ElementRef, computed, inject, signal, viewChild } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { debounceTime } from 'rxjs';
import type { components } from '../../api/schema';
import { ApiProblem, call, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { Confirm } from '../../shared/confirm';
import { ListState } from '../../shared/list-state';
import {
  Channel,
  TemplateKind,
  kindText,
  segmentsText,
  templateErrorText,
} from '../notifications/words';

type TemplateView = components['schemas']['TemplateView'];
type Preview = components['schemas']['Preview'];

/** What each kind of template is for. */
const PURPOSE: Record<TemplateKind, string> = {
  reminder: 'Sent to customers who owe you, on the schedule of your payment reminders.',
  share: 'Sent to the customer when you press “Send to customer” on an invoice.',
  digest: 'Sent to you every morning: what falls due, what is overdue, what came in.',
};

/** A template's title: `Payment reminder · SMS`. */
export function templateTitle(kind: TemplateKind, channel: Channel): string {
  const what = kind === 'reminder' ? 'Payment reminder' : kindText(kind);
  return `${what} · ${channel === 'sms' ? 'SMS' : 'Mail'}`;
}

/**
 * The business's message templates (`GET /v1/business/templates`): the
 * payment reminder, the invoice sent and the owner's daily summary, each
 * by SMS and mail, the business's own or the standard text. Edit one with
 * its variables at hand, preview it with a sample invoice (the API renders
 * it and counts the SMS segments, as you type), save it (owner; the API's
 * errors name the line), or go back to the standard text.
 */
@Component({
  selector: 'app-templates',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    ListState,
  ],
  template: `
    <div class="page">
      <p><a routerLink="/business/settings">‹ Settings</a></p>
      <div class="page-head"><h1>Message templates</h1></div>
      <p class="muted intro">
        The texts your customers get. The standard texts follow the language chosen in
        <a routerLink="/business/settings">Settings › Payment reminders</a>; write your own to
        change the words.
      </p>
      <app-list-state [loading]="loading()" [error]="loadError()" (retry)="load()">
        <div class="layout">
          <ul class="list" aria-label="Templates">
            @for (t of templates(); track key(t)) {
              <li>
                <button
                  type="button"
                  class="item"
                  [class.on]="key(t) === selected()"
                  [attr.aria-current]="key(t) === selected() ? 'true' : null"
                  (click)="choose(t)"
                >
                  <span class="name">{{ title(t) }}</span>
                  <span class="chip" [class.custom]="t.custom">{{
                    t.custom ? 'Custom' : 'Default'
                  }}</span>
                </button>
              </li>
            }
          </ul>

          @if (current(); as t) {
            <mat-card appearance="outlined" class="editor">
              <div class="editor-head">
                <h2>{{ title(t) }}</h2>
                <span class="chip" [class.custom]="t.custom" data-testid="badge">{{
                  t.custom ? 'Custom' : 'Default'
                }}</span>
              </div>
              <p class="muted">{{ purpose(t) }}</p>
              <form [formGroup]="form" (ngSubmit)="save()" novalidate>
                @if (t.channel === 'mail') {
                  <mat-form-field appearance="outline" class="full" subscriptSizing="dynamic">
                    <mat-label>Subject</mat-label>
                    <input
                      matInput
                      #subject
                      formControlName="subject"
                      maxlength="300"
                      (focus)="target = 'subject'"
                    />
                  </mat-form-field>
                }
                <mat-form-field appearance="outline" class="full" subscriptSizing="dynamic">
                  <mat-label>Text</mat-label>
                  <textarea
                    matInput
                    #body
                    formControlName="body"
                    class="code"
                    [rows]="t.channel === 'sms' ? 6 : 14"
                    spellcheck="false"
                    (focus)="target = 'body'"
                  ></textarea>
                  @if (preview()?.sms; as sms) {
                    <mat-hint data-testid="segments-hint">{{ segments(sms) }}</mat-hint>
                  }
                </mat-form-field>

                @if (errors().length) {
                  <ul class="errors" role="alert" aria-label="Problems with the template">
                    @for (e of errors(); track $index) {
                      <li>{{ e }}</li>
                    }
                  </ul>
                }
                @if (notice(); as n) {
                  <p class="notice" role="status">{{ n }}</p>
                }

                <div class="actions">
                  <button
                    mat-stroked-button
                    type="button"
                    (click)="runPreview()"
                    [disabled]="previewing()"
                  >
                    Preview
                  </button>
                  @if (owner()) {
                    <button mat-flat-button type="submit" [disabled]="saving() || form.pristine">
                      Save
                    </button>
                    @if (t.custom) {
                      <button mat-button type="button" (click)="restore(t)" [disabled]="saving()">
                        Restore default
                      </button>
                    }
                  }
                  @if (form.dirty) {
                    <button mat-button type="button" (click)="discard()" [disabled]="saving()">
                      Discard changes
                    </button>
                  }
                </div>
                @if (!owner()) {
                  <p class="muted">
                    Only the owner can change the templates; you can try texts in the preview.
                  </p>
                }
              </form>

              <section class="preview" aria-labelledby="preview-title" aria-live="polite">
                <h3 id="preview-title">Preview with a sample invoice</h3>
                @if (preview(); as p) {
                  @if (p.subject) {
                    <p class="subject"><span class="muted">Subject:</span> {{ p.subject }}</p>
                  }
                  <div class="message" [class.sms]="t.channel === 'sms'" data-testid="preview">
                    {{ p.body }}
                  </div>
                  @if (p.sms; as sms) {
                    <p class="segments" data-testid="segments">
                      {{ segments(sms) }}
                      @if (sms.encoding === 'ucs2') {
                        <span class="muted">
                          · Hindi letters or signs such as ₹ make each segment hold 70 characters
                          (67 when longer).</span
                        >
                      } @else {
                        <span class="muted">
                          · a segment holds 160 characters (153 when longer).</span
                        >
                      }
                    </p>
                  }
                } @else if (previewing()) {
                  <p class="muted">Rendering…</p>
                } @else {
                  <p class="muted">Press Preview to see the text as a customer gets it.</p>
                }
              </section>

              <section class="variables" aria-labelledby="variables-title">
                <h3 id="variables-title">Variables</h3>
                <p class="muted small">
                  Click one to put it in the {{ target === 'subject' ? 'subject' : 'text' }} where
                  the cursor is. Conditions work too: <code>{{ ifExample }}</code>
                </p>
                <ul>
                  @for (v of variables(); track v.name) {
                    <li>
                      <button
                        type="button"
                        class="var"
                        (click)="insert(v.name)"
                        [attr.aria-label]="'Insert ' + v.name + ': ' + v.meaning"
                      >
                        {{ token(v.name) }}
                      </button>
                      <span class="muted">{{ v.meaning }}</span>
                    </li>
                  }
                </ul>
              </section>
            </mat-card>
          }
        </div>
      </app-list-state>
    </div>
  `,
  styles: `
    .intro {
      margin-top: 0;
    }
    .layout {
      display: grid;
      grid-template-columns: 300px minmax(0, 1fr);
      gap: 16px;
      align-items: start;
    }
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 6px;
    }
    .item {
      width: 100%;
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: 8px;
      padding: 10px 12px;
      border-radius: 8px;
      border: 1px solid var(--mat-sys-outline-variant);
      background: none;
      font: inherit;
      color: inherit;
      text-align: left;
      cursor: pointer;
    }
    .item.on {
      background: var(--mat-sys-secondary-container);
      border-color: transparent;
      font-weight: 500;
    }
    .item:focus-visible,
    .var:focus-visible {
      outline: 2px solid var(--mat-sys-primary);
      outline-offset: 2px;
    }
    .chip.custom {
      background: #dae2f9;
      color: #0d3a7a;
    }
    .editor {
      padding: 12px 16px;
      min-width: 0;
    }
    .editor-head {
      display: flex;
      align-items: center;
      gap: 12px;
    }
    h2 {
      font-size: 1.2rem;
      font-weight: 500;
      margin: 0;
    }
    h3 {
      font-size: 1rem;
      font-weight: 500;
      margin: 16px 0 8px;
    }
    .full {
      width: 100%;
      margin-bottom: 12px;
    }
    .mat-mdc-form-field textarea.code {
      font-family: ui-monospace, 'Noto Sans Mono', monospace;
      font-size: 0.9rem;
      line-height: 1.45;
    }
    .errors {
      color: var(--mat-sys-error);
      margin: 0 0 12px;
      padding-left: 20px;
    }
    .preview,
    .variables {
      border-top: 1px solid var(--mat-sys-outline-variant);
      margin-top: 16px;
    }
    .message {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      padding: 12px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container);
    }
    .message.sms {
      max-width: 420px;
      border-radius: 16px 16px 16px 4px;
    }
    .subject {
      margin: 0 0 8px;
      font-weight: 500;
    }
    .segments {
      font-weight: 500;
    }
    .variables ul {
      list-style: none;
      padding: 0;
      margin: 0;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(280px, 1fr));
      gap: 6px 16px;
    }
    .variables li {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
    }
    .var {
      font-family: ui-monospace, monospace;
      font-size: 0.85rem;
      padding: 2px 6px;
      border-radius: 4px;
      border: 1px solid var(--mat-sys-outline-variant);
      background: var(--mat-sys-surface-container-low);
      color: var(--mat-sys-primary);
      cursor: pointer;
    }
    .small {
      font-size: 0.85rem;
    }
    code {
      overflow-wrap: anywhere;
    }
    @media (max-width: 900px) {
      .layout {
        grid-template-columns: minmax(0, 1fr);
      }
      .list {
        grid-template-columns: repeat(2, minmax(0, 1fr));
      }
      .item {
        flex-direction: column;
        align-items: flex-start;
        gap: 4px;
        padding: 8px 10px;
      }
    }
  `,
})
export class Templates {
  private readonly session = inject(Session);
  private readonly confirm = inject(Confirm);
  private readonly bodyRef = viewChild<ElementRef<HTMLTextAreaElement>>('body');
  private readonly subjectRef = viewChild<ElementRef<HTMLInputElement>>('subject');

  readonly templates = signal<TemplateView[]>([]);
  readonly loading = signal(true);
  readonly loadError = signal<string | null>(null);
  readonly selected = signal('reminder/sms');
  readonly preview = signal<Preview | null>(null);
  readonly previewing = signal(false);
  readonly saving = signal(false);
  readonly errors = signal<string[]>([]);
  readonly notice = signal<string | null>(null);
  readonly owner = computed(() => this.session.user()?.role === 'owner');
  readonly ifExample = '{% if invoice.days_overdue > 0 %}…{% else %}…{% endif %}';
  /** Where a clicked variable goes. */
  target: 'body' | 'subject' = 'body';
  private generation = 0;

  readonly form = new FormGroup({
    subject: new FormControl('', { nonNullable: true }),
    body: new FormControl('', { nonNullable: true }),
  });

  readonly current = computed(
    () => this.templates().find((t) => this.key(t) === this.selected()) ?? null,
  );
  readonly variables = computed(() =>
    Object.entries(this.current()?.variables ?? {}).map(([name, meaning]) => ({ name, meaning })),
  );

  constructor() {
    // The preview follows the text as it is typed (the API's checks, too).
    this.form.valueChanges.pipe(debounceTime(700), takeUntilDestroyed()).subscribe(() => {
      if (this.form.dirty) void this.runPreview();
    });
    void this.load();
  }

  key(t: Pick<TemplateView, 'kind' | 'channel'>): string {
    return `${t.kind}/${t.channel}`;
  }

  title(t: TemplateView): string {
    return templateTitle(t.kind, t.channel);
  }

  purpose(t: TemplateView): string {
    return PURPOSE[t.kind];
  }

  segments(s: Preview['sms']): string {
    return segmentsText(s);
  }

  token(name: string): string {
    return `{{ ${name} }}`;
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      this.templates.set(await call(this.session.api.GET('/v1/business/templates')));
      this.show();
    } catch (e) {
      this.loadError.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  /** Puts the selected template's text in the editor and previews it. */
  private show(): void {
    const t = this.current();
    if (!t) return;
    this.form.reset({ subject: t.subject ?? '', body: t.body });
    this.errors.set([]);
    this.preview.set(null);
    this.target = 'body';
    void this.runPreview();
  }

  async choose(t: TemplateView): Promise<void> {
    if (this.key(t) === this.selected()) return;
    if (this.form.dirty) {
      const current = this.current();
      const answer = await this.confirm.ask({
        title: 'Discard your changes?',
        message: `The changes to ${current ? this.title(current) : 'this template'} are not saved.`,
        action: 'Discard',
        destructive: true,
      });
      if (!answer) return;
    }
    this.notice.set(null);
    this.selected.set(this.key(t));
    this.show();
  }

  discard(): void {
    this.notice.set(null);
    this.show();
  }

  /** Inserts `{{ name }}` at the cursor of the body (or the subject, when it was last in focus). */
  insert(name: string): void {
    const field = this.target === 'subject' && this.subjectRef() ? 'subject' : 'body';
    const el = (field === 'subject' ? this.subjectRef() : this.bodyRef())?.nativeElement;
    const control = this.form.controls[field];
    const text = control.value;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    const token = this.token(name);
    control.setValue(text.slice(0, start) + token + text.slice(end));
    control.markAsDirty();
    if (el) {
      el.focus();
      const at = start + token.length;
      setTimeout(() => el.setSelectionRange(at, at));
    }
  }

  /** The API's 422 for people: the fields marked, the messages (with their line) listed under the editor. */
  private showProblem(e: unknown): void {
    if (e instanceof ApiProblem && e.problem?.errors?.length) {
      const list = e.problem.errors.map((f) => {
        const control =
          f.field === 'subject' || f.field === 'body' ? this.form.controls[f.field] : null;
        if (control) {
          control.setErrors({ api: f.detail });
          control.markAsTouched();
        }
        return templateErrorText(f.field, f.detail);
      });
      this.errors.set(list);
    } else {
      this.errors.set([describe(e)]);
    }
  }

  private text(t: TemplateView): { subject?: string | null; body: string } {
    const v = this.form.getRawValue();
    return t.channel === 'mail' ? { subject: v.subject, body: v.body } : { body: v.body };
  }

  async runPreview(): Promise<void> {
    const t = this.current();
    if (!t) return;
    const mine = ++this.generation;
    this.previewing.set(true);
    try {
      const p = await call(
        this.session.api.POST('/v1/business/templates/preview', {
          body: { kind: t.kind, channel: t.channel, ...this.text(t) },
        }),
      );
      if (mine !== this.generation) return;
      this.preview.set(p);
      this.errors.set([]);
      this.form.controls.body.setErrors(null);
      this.form.controls.subject.setErrors(null);
    } catch (e) {
      if (mine !== this.generation) return;
      this.preview.set(null);
      this.showProblem(e);
    } finally {
      if (mine === this.generation) this.previewing.set(false);
    }
  }

  async save(): Promise<void> {
    const t = this.current();
    if (!t) return;
    this.saving.set(true);
    this.notice.set(null);
    this.generation++; // a preview under way no longer counts
    try {
      const saved = await call(
        this.session.api.PUT('/v1/business/templates/{kind}/{channel}', {
          params: { path: { kind: t.kind, channel: t.channel } },
          body: this.text(t),
        }),
      );
      this.replace(saved);
      this.notice.set(`${this.title(saved)} is saved: messages use your text from now on.`);
    } catch (e) {
      this.showProblem(e);
    } finally {
      this.saving.set(false);
    }
  }

  async restore(t: TemplateView): Promise<void> {
    const answer = await this.confirm.ask({
      title: 'Go back to the standard text?',
      message: `Your own text of ${this.title(t)} is removed; the standard text in the language of your settings applies.`,
      action: 'Restore default',
    });
    if (!answer) return;
    this.saving.set(true);
    this.notice.set(null);
    try {
      const back = await call(
        this.session.api.DELETE('/v1/business/templates/{kind}/{channel}', {
          params: { path: { kind: t.kind, channel: t.channel } },
        }),
      );
      this.replace(back);
      this.notice.set(`${this.title(back)} is back to the standard text.`);
    } catch (e) {
      this.showProblem(e);
    } finally {
      this.saving.set(false);
    }
  }

  /** Puts a template the API answered in the list and the editor. */
  private replace(t: TemplateView): void {
    this.templates.update((all) => all.map((x) => (this.key(x) === this.key(t) ? t : x)));
    this.show();
  }
}
