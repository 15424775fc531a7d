/** The options page's store and translator, provided once by the page (STYLE §7). */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { OptionsStore } from './options-store.js';

export type Translate = (name: string, substitutions?: string | string[]) => string;

export interface OptionsContextValue {
  store: OptionsStore;
  t: Translate;
}

export const OptionsContext = createContext<OptionsContextValue | null>(null);

export function useOptions(): OptionsContextValue {
  const value = useContext(OptionsContext);
  if (!value) throw new Error('OptionsContext is missing');
  return value;
}
