import { onBeforeUnmount, type Ref, ref, shallowRef } from 'vue';
import { errorMessage } from '../api/client';

/** A value loaded from the API with its loading and error state. */
export interface Loaded<T> {
  readonly data: Ref<T | undefined>;
  readonly loading: Ref<boolean>;
  readonly error: Ref<string | null>;
  /** Loads again; a newer call wins over an older one still in flight. */
  reload(): Promise<void>;
}

/**
 * Loads a value (immediately unless `lazy`) and keeps its loading and error state.
 *
 * @param load - fetches the value
 * @param options - `lazy`: wait for the first `reload()`
 * @returns the state and a reload function
 */
export function useLoad<T>(load: () => Promise<T>, options: { lazy?: boolean } = {}): Loaded<T> {
  const data = shallowRef<T>();
  const loading = ref(false);
  const error = ref<string | null>(null);
  let seq = 0;
  async function reload() {
    const mine = ++seq;
    loading.value = true;
    try {
      const v = await load();
      if (mine !== seq) return;
      data.value = v;
      error.value = null;
    } catch (err) {
      if (mine === seq) error.value = errorMessage(err);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }
  if (!options.lazy) void reload();
  return { data: data as Ref<T | undefined>, loading, error, reload };
}

/**
 * Calls `tick` every `ms` while `active()` says so; stops when the component unmounts.
 *
 * @param tick - what to do
 * @param ms - period
 * @param active - whether to keep going (checked before each tick)
 */
export function usePolling(tick: () => Promise<void> | void, ms: number, active: () => boolean) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const loop = async () => {
    if (stopped) return;
    if (active()) await tick();
    if (!stopped) timer = setTimeout(loop, ms);
  };
  timer = setTimeout(loop, ms);
  onBeforeUnmount(() => {
    stopped = true;
    if (timer) clearTimeout(timer);
  });
}
