// Module shapes Vite resolves for the renderer: Svelte components and CSS side-effect imports.
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<Record<string, unknown>>;
  export default component;
}
declare module '*.css';
