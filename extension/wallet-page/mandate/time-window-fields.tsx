import { Field } from '../field.tsx';
import { CheckboxGroup } from './choices.tsx';
import type { TimeWindowFields as Window } from './fields.ts';
import { DAY_OPTIONS } from './options.ts';

/** When a rule applies: some days, between two times, in a time zone (the browser's by default). */
export function TimeWindowFields(props: { value: Window; onChange: (value: Window) => void; errorFor: (key: string) => string | undefined; zonesId: string }) {
  const { value } = props;
  const set = (change: Partial<Window>) => props.onChange({ ...value, ...change });
  return (
    <div class="time-window">
      <label class="choice">
        <input type="checkbox" checked={value.on} onChange={(e) => set({ on: e.currentTarget.checked })} />
        <span>Only at certain times</span>
      </label>
      {value.on && (
        <>
          <CheckboxGroup
            legend="Days"
            hint="None ticked: every day."
            options={DAY_OPTIONS}
            picked={value.days.map(String)}
            onChange={(days) => set({ days: days.map(Number) })}
          />
          <div class="row">
            <Field label="From" type="time" value={value.start} onInput={(start) => set({ start })} error={props.errorFor('timeWindow.start')} />
            <Field
              label="Until"
              type="time"
              value={value.end}
              onInput={(end) => set({ end })}
              hint="Earlier than From: the window runs past midnight."
              error={props.errorFor('timeWindow.end')}
            />
            <Field label="Time zone" value={value.timeZone} onInput={(timeZone) => set({ timeZone })} list={props.zonesId} error={props.errorFor('timeWindow.timeZone')} />
          </div>
        </>
      )}
    </div>
  );
}
