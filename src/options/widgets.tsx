/** Small building blocks shared by the options views: error text, file picking with drop, fields. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useOptions, type Translate } from './context.js';

export function errorText(t: Translate, code: string): string {
  return t(`options_error_${code}`) || t('options_error_generic', code);
}

export function ErrorMessage({ code, testid }: { code: string | null; testid: string }) {
  const { t } = useOptions();
  if (!code) return null;
  return (
    <p role="alert" class="options-error" data-testid={testid} data-code={code}>
      <span aria-hidden="true">⚠ </span>
      {errorText(t, code)}
    </p>
  );
}

/**
 * The intermediate CA certificates an imported chain lacks (`ImportResult.missingIssuers`): without
 * them, recipients whose software does not fetch intermediates cannot check the signature.
 */
export function MissingIssuers({ issuers, testid }: { issuers: readonly string[]; testid: string }) {
  const { t } = useOptions();
  if (issuers.length === 0) return null;
  return (
    <div class="options-warning" role="status" data-testid={testid}>
      <p>{t('options_missingIssuerText')}</p>
      <ul>
        {issuers.map((dn) => (
          <li key={dn} data-testid={`${testid}-dn`}>
            {t('options_missingIssuer', dn)}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Notice({ children, testid }: { children: ComponentChildren; testid: string }) {
  return (
    <p role="status" class="options-notice" data-testid={testid}>
      <span aria-hidden="true">✓ </span>
      {children}
    </p>
  );
}

export interface PickedFile {
  name: string;
  bytes: Uint8Array;
}

async function readPicked(file: File): Promise<PickedFile> {
  return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** A labelled file input that also accepts a file dropped on its area. */
export function FileField(props: { id: string; label: string; accept: string; testid: string; onFile: (file: PickedFile) => void; picked: string | null }) {
  const { t } = useOptions();
  const [over, setOver] = useState(false);
  async function take(files: FileList | null | undefined) {
    const file = files?.[0];
    if (file) props.onFile(await readPicked(file));
  }
  return (
    <div
      class={over ? 'options-drop options-drop-over' : 'options-drop'}
      data-testid={`${props.testid}-drop`}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        void take(event.dataTransfer?.files);
      }}
    >
      <label for={props.id}>{props.label}</label>
      <input id={props.id} type="file" accept={props.accept} data-testid={props.testid} onChange={(event) => void take((event.currentTarget as HTMLInputElement).files)} />
      <p class="options-hint">{props.picked ? t('options_fileChosen', props.picked) : t('options_dropHint')}</p>
    </div>
  );
}

export function Field(props: { id: string; label: string; type?: string; value: string; onInput: (value: string) => void; testid: string; invalid?: boolean; describedBy?: string; autoComplete?: string; required?: boolean }) {
  return (
    <div class="options-field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        data-testid={props.testid}
        aria-invalid={props.invalid ? 'true' : undefined}
        aria-describedby={props.describedBy}
        autoComplete={props.autoComplete}
        required={props.required}
        onInput={(event) => props.onInput((event.currentTarget as HTMLInputElement).value)}
      />
    </div>
  );
}
