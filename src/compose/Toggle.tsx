export interface ToggleProps {
  id: string;
  label: string;
  help: string;
  checked: boolean;
  disabled: boolean;
  onChange: (checked: boolean) => void;
}

/** A labelled switch: a native checkbox, so it is keyboard operable and announced with its state. */
export function Toggle({ id, label, help, checked, disabled, onChange }: ToggleProps) {
  return (
    <div class="compose-toggle">
      <input
        type="checkbox"
        role="switch"
        id={id}
        data-testid={`toggle-${id}`}
        checked={checked}
        disabled={disabled}
        aria-describedby={`${id}-help`}
        onChange={(event) => onChange((event.currentTarget as HTMLInputElement).checked)}
      />
      <label for={id}>
        <span aria-hidden="true">{checked ? '● ' : '○ '}</span>
        {label}
      </label>
      <p id={`${id}-help`} class="compose-help">{help}</p>
    </div>
  );
}
