import { useId } from 'preact/hooks';
import type { Choice, ListMode } from './fields.ts';

export interface Option<T extends string> {
  value: T;
  label: string;
  /** Read with the label, e.g. a merchant's proven site. */
  detail?: string;
}

/** Ticks among named options: a merchant by its name, a category by its label. */
export function CheckboxGroup<T extends string>(props: {
  legend: string;
  options: Option<T>[];
  picked: readonly T[];
  onChange: (picked: T[]) => void;
  hint?: string;
  /** Said when there is nothing to pick. */
  empty?: string;
  error?: string | undefined;
}) {
  const id = useId();
  const toggle = (value: T, on: boolean) =>
    props.onChange(on ? [...props.picked, value] : props.picked.filter((v) => v !== value));
  return (
    <fieldset class="choices" aria-describedby={props.error ? `${id}-error` : undefined} aria-invalid={props.error ? true : undefined}>
      <legend>{props.legend}</legend>
      {props.hint && <small class="hint">{props.hint}</small>}
      {props.options.length === 0 && props.empty && <p class="muted">{props.empty}</p>}
      <div class="choice-grid">
        {props.options.map((option) => (
          <label key={option.value} class="choice">
            {/* Named by the label alone; the detail (a proven site) is read as its description. */}
            <input
              type="checkbox"
              checked={props.picked.includes(option.value)}
              aria-labelledby={`${id}-${option.value}-label`}
              aria-describedby={option.detail ? `${id}-${option.value}` : undefined}
              onChange={(e) => toggle(option.value, e.currentTarget.checked)}
            />
            <span id={`${id}-${option.value}-label`}>{option.label}</span>
            {option.detail && (
              <small id={`${id}-${option.value}`} class="hint">
                {option.detail}
              </small>
            )}
          </label>
        ))}
      </div>
      {props.error && (
        <small id={`${id}-error`} class="field-error">
          {props.error}
        </small>
      )}
    </fieldset>
  );
}

/**
 * A list a rule may limit: any, only the ticked ones, or any but the ticked
 * ones (the protocol's allow and deny), with the ticks shown when they count.
 */
export function ChoiceField<T extends string>(props: {
  label: string;
  /** "merchant", "category": the words of the three modes. */
  noun: { one: string; many: string };
  options: Option<T>[];
  value: Choice<T>;
  onChange: (value: Choice<T>) => void;
  empty?: string;
  error?: string | undefined;
}) {
  const id = useId();
  const { one, many } = props.noun;
  const modes: { value: ListMode; label: string }[] = [
    { value: 'any', label: `Any ${one}` },
    { value: 'only', label: `Only these ${many}` },
    { value: 'except', label: `Any ${one} except these` },
  ];
  return (
    <div class="choice-field">
      <div class="field">
        <label for={id}>{props.label}</label>
        <select id={id} value={props.value.mode} onChange={(e) => {
            const value = e.currentTarget.value;
            props.onChange({ ...props.value, mode: modes.find((m) => m.value === value)?.value ?? 'any' });
          }}>
          {modes.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
      {props.value.mode !== 'any' && (
        <CheckboxGroup
          legend={props.value.mode === 'only' ? `${props.label}: only these` : `${props.label}: all but these`}
          options={props.options}
          picked={props.value.picked}
          onChange={(picked) => props.onChange({ ...props.value, picked })}
          empty={props.empty}
          error={props.error}
        />
      )}
    </div>
  );
}
