// `linernotes` command line: parses arguments (commander), opens the store, runs one command.
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { openStore, type Store } from '../store/index.ts';
import { MigrationError } from '../store/migrate.ts';
import { defaultDataDir } from '../util/dataDir.ts';
import { EXIT } from './exitCodes.ts';
import { createOutput } from './output.ts';
import { errorsCommand, listCommand, rootsCommand, scanCommand, statsCommand, watchCommand, type Context } from './commands.ts';
import { demoCommand } from './demo.ts';
import { analyzeCommand } from './analyze.ts';
import { doctorCommand, transcribeCommand } from './models.ts';
import { queueCommand } from './queue.ts';
import { playlistCommand, searchCommand, type PlaylistCliOptions, type SearchCliOptions } from './search.ts';
import { serveCommand } from './serve.ts';
import { deepCommand, modelsCommand, type DeepCliOptions, type ModelsAddOptions } from './deep.ts';
import { askCommand, type AskCliOptions } from './ask.ts';

interface GlobalOptions {
  dataDir?: string;
}

export async function runCli(argv: string[], io: { stdout?: NodeJS.WriteStream; stderr?: NodeJS.WriteStream; signal?: AbortSignal } = {}): Promise<number> {
  const stderr = io.stderr ?? process.stderr;
  const stdout = io.stdout ?? process.stdout;
  let code: number = EXIT.OK;

  /** Opens the store for a command, runs it, and closes the store. */
  const withStore = (json: boolean, run: (ctx: Context) => Promise<number> | number) => async () => {
    const g = program.opts<GlobalOptions>();
    const dataDir = g.dataDir ? path.resolve(g.dataDir) : defaultDataDir();
    const out = createOutput({ json, stdout, stderr });
    let store: Store;
    try {
      store = openStore(dataDir);
    } catch (err) {
      out.err(`linernotes: cannot open the library database in ${dataDir}: ${(err as Error).message}`);
      code = EXIT.DATABASE;
      return;
    }
    try {
      code = await run({ store, out, dataDir });
    } finally {
      store.close();
    }
  };

  const program = new Command('linernotes')
    .description('Measured liner notes for your own music library.')
    .option('--data-dir <dir>', 'where the library database lives (default: the per-user app data folder)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) })
    .showHelpAfterError('(linernotes --help lists the commands)');

  const json = new Option('--json', 'print machine-readable JSON');

  program
    .command('scan')
    .description('add folders as music folders (if new) and scan them; with none, rescan all')
    .argument('[folders...]')
    .addOption(json)
    .action((folders: string[], o: { json?: boolean }) => withStore(!!o.json, (ctx) => scanCommand(ctx, folders))());

  program
    .command('watch')
    .description('scan every music folder, then follow changes until Ctrl+C; new and changed tracks are analysed meanwhile')
    .addOption(json)
    .option('--no-analyze', 'only queue new and changed tracks for analysis, do not run the queue')
    .action((o: { json?: boolean; analyze: boolean }) => withStore(!!o.json, (ctx) => watchCommand(ctx, { signal: io.signal, analyze: o.analyze }))());

  program
    .command('roots')
    .description('manage music folders: roots add <folder> | roots remove <folder|id> | roots list')
    .argument('[action]', 'add, remove or list', 'list')
    .argument('[folder]')
    .addOption(json)
    .action((action: string, folder: string | undefined, o: { json?: boolean }) => withStore(!!o.json, (ctx) => rootsCommand(ctx, action, folder))());

  program
    .command('list')
    .description('list the tracks in the library')
    .addOption(json)
    .option('--missing', 'only tracks whose file is gone')
    .option('--limit <n>', 'at most n tracks', (v) => parseInt(v, 10))
    .action((o: { json?: boolean; missing?: boolean; limit?: number }) => withStore(!!o.json, (ctx) => listCommand(ctx, o))());

  program
    .command('stats')
    .description('library totals')
    .addOption(json)
    .action((o: { json?: boolean }) => withStore(!!o.json, (ctx) => statsCommand(ctx))());

  program
    .command('errors')
    .description('files and folders that could not be read, and why')
    .addOption(json)
    .action((o: { json?: boolean }) => withStore(!!o.json, (ctx) => errorsCommand(ctx))());

  program
    .command('analyze')
    .description('measure tempo, meter, key, chords and harmony of files or library tracks (none: every track not yet analysed)')
    .argument('[targets...]', 'audio files or track ids')
    .addOption(json)
    .option('--jams <file>', 'also write the analysis as a JAMS file (one target)')
    .option('--force', 'analyse again even when a current result is stored')
    .option('--all', 'every library track that needs it, through the analysis queue (what no target means too)')
    .option('--workers <n>', 'worker processes for --all (default: linernotes queue concurrency)', (v) => parseInt(v, 10))
    .action((targets: string[], o: { json?: boolean; jams?: string; force?: boolean; all?: boolean; workers?: number }) =>
      withStore(!!o.json, (ctx) => analyzeCommand(ctx, targets, { ...o, signal: io.signal }))(),
    );

  program
    .command('queue')
    .description('the analysis queue: status | pause | resume | retry [id…] | cancel [id…] | bump <id…> | concurrency [n] | transcribe [on|off]')
    .argument('[action]', 'status, pause, resume, retry, cancel, bump, concurrency or transcribe', 'status')
    .argument('[ids...]', 'track ids (retry, cancel, bump) or a number of workers (concurrency)')
    .addOption(json)
    .action((action: string, ids: string[], o: { json?: boolean }) => withStore(!!o.json, (ctx) => queueCommand(ctx, action, ids))());

  program
    .command('demo')
    .description('the built-in default: synthesise a demo library (or use [folder]) and scan it')
    .argument('[folder]')
    .addOption(json)
    .action((folder: string | undefined, o: { json?: boolean }) => withStore(!!o.json, (ctx) => demoCommand(ctx, folder))());

  program
    .command('doctor')
    .description('check this installation: Node, platform, SQLite and sqlite-vec, data folder, ONNX providers and threads, each model file')
    .addOption(json)
    .action(async (o: { json?: boolean }) => {
      const g = program.opts<GlobalOptions>();
      code = await doctorCommand(createOutput({ json: !!o.json, stdout, stderr }), g.dataDir ? path.resolve(g.dataDir) : defaultDataDir());
    });

  program
    .command('transcribe')
    .description('transcribe the notes of an audio file or library track (its stored notes when the queue transcribed it) with Basic Pitch; --midi writes them as a MIDI file')
    .argument('<file or track id>')
    .addOption(json)
    .option('--midi <out.mid>', 'write the notes as a Standard MIDI File')
    .option('--force', 'replace the MIDI file if it exists')
    .action(async (file: string, o: { json?: boolean; midi?: string; force?: boolean }) => {
      if (/^\d+$/.test(file)) return withStore(!!o.json, (ctx) => transcribeCommand(ctx.out, file, { ...o, store: ctx.store }))();
      code = await transcribeCommand(createOutput({ json: !!o.json, stdout, stderr }), file, o);
    });

  program
    .command('search')
    .description('find tracks in plain words, e.g. "minor key with modal interchange", "around 90 bpm", "like Night Ferry" (grammar: app/search/GRAMMAR.md)')
    .argument('<query...>')
    .addOption(json)
    .option('--explain', 'print how the query was understood')
    .option('--facets', 'also count the matches by key, mode, tempo, device, decade and genre')
    .option('--limit <n>', 'at most n tracks (default 20)', (v) => Number(v))
    .option('--format <format>', 'export the matches as m3u8, csv or json')
    .option('--out <file>', 'write the export to this file (default: standard output)')
    .option('--relative-to <dir>', 'm3u8 paths relative to this folder (default: absolute)')
    .action((words: string[], o: SearchCliOptions) => withStore(!!o.json, (ctx) => searchCommand(ctx, words.join(' '), o))());

  program
    .command('playlist')
    .description('smart playlists (saved searches that stay live): save <name> "<query>" | list | show <name> | export <name> | remove <name>')
    .argument('<action>')
    .argument('[args...]')
    .addOption(json)
    .option('--format <format>', 'export format: m3u8 (default), csv or json')
    .option('--out <file>', 'write the export to this file (default: standard output)')
    .option('--relative-to <dir>', 'm3u8 paths relative to this folder (default: absolute)')
    .action((action: string, args: string[], o: PlaylistCliOptions) => withStore(!!o.json, (ctx) => playlistCommand(ctx, action, args, o))());

  program
    .command('ask')
    .description('ask about your library in plain words, answered from its analyses with sources, e.g. "what key is Night Ferry in" (a language model is used when LINERNOTES_LLM_URL is set)')
    .argument('<question...>')
    .addOption(json)
    .option('--track <id>', 'ask about this track ("this song"); starts a conversation scoped to it')
    .option('--conversation <id>', 'continue this conversation')
    .action((words: string[], o: AskCliOptions) => withStore(!!o.json, (ctx) => askCommand(ctx, words.join(' '), o))());

  program
    .command('serve')
    .description('open the Linernotes UI in a browser tab, served on 127.0.0.1 only with a private token')
    .option('--port <n>', 'port to listen on (default: any free port)', (v) => Number(v))
    .option('--open', 'open the page in the default browser')
    .addOption(json)
    .action((o: { port?: number; open?: boolean; json?: boolean }) => withStore(!!o.json, (ctx) => serveCommand(ctx, { ...o, signal: io.signal }))());

  program
    .command('models')
    .description('audio-language-model servers (Music Flamingo; docs/music-flamingo.md) and their health: list | add <name> --url … --model … | remove <name>')
    .argument('[action]', 'list, add or remove', 'list')
    .argument('[args...]')
    .addOption(json)
    .option('--url <url>', 'base URL of the OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1')
    .option('--model <name>', 'model name the server expects, e.g. nvidia/music-flamingo-2601-hf')
    .option('--api-key-env <VAR>', 'environment variable that holds the API key (the key itself is never stored)')
    .option('--timeout <s>', 'time limit of one request in seconds (default 600)', (v) => Number(v))
    .option('--concurrency <n>', 'requests at once (default 1)', (v) => parseInt(v, 10))
    .option('--max-audio <s>', 'longest audio per request in seconds (default 1200)', (v) => Number(v))
    .option('--default', 'use this server unless another is named')
    .action((action: string, args: string[], o: ModelsAddOptions & { json?: boolean }) => withStore(!!o.json, (ctx) => modelsCommand(ctx, action, args, o))());

  program
    .command('deep')
    .description('deep analysis by an audio-language model, checked against our measurements: deep <track-id|file> | enable|disable root|track <id> | queue | status | retry|cancel [ids]')
    .argument('<target>', 'a track id or audio file, or enable, disable, queue, status, retry, cancel')
    .argument('[args...]')
    .addOption(json)
    .option('--model <name>', 'the model server to use (default: the default one)')
    .option('--no-questions', 'only the caption and lyric sheet, not the fixed questions')
    .option('--cut', 'send only the first 20 minutes of a longer song (default: send it in parts)')
    .option('--reasoning', "print the model's reasoning (the -think variant)")
    .action((target: string, args: string[], o: DeepCliOptions) => withStore(!!o.json, (ctx) => deepCommand(ctx, target, args, { ...o, signal: io.signal }))());

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof MigrationError) {
      stderr.write(`linernotes: ${err.message}\n`);
      return EXIT.DATABASE;
    }
    stderr.write(`linernotes: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT.FAILURE;
  }
  return code;
}
