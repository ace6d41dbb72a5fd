// Renderer entry: picks the transport (Electron bridge or HTTP) and mounts the app.
import { mount } from 'svelte';
import App from './App.svelte';
import { defaultClient } from './lib/client.ts';
import { AppState } from './lib/appState.svelte.ts';
import './app.css';

const state = new AppState(defaultClient());
void state.refresh();
mount(App, { target: document.getElementById('app')!, props: { app: state } });
