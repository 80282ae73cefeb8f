import { useEffect, useState } from 'preact/hooks';
import { read, type StateKey, type StateValue, watch } from '../shared/state.ts';

/** A stored item, kept current as any part of the extension changes it; undefined while loading. */
export function useStored<K extends StateKey>(key: K): StateValue<K> | undefined {
  const [value, setValue] = useState<StateValue<K> | undefined>(undefined);
  useEffect(() => {
    void read(key).then(setValue);
    return watch(key, setValue);
  }, [key]);
  return value;
}
