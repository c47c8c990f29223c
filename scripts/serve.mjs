// `npm run serve`: runs the built service (out/serve/serve.cjs, from vite.serve.config.ts), built first when
// missing or stale, with a V8 code cache (built-entry.mjs). The UI is `npm run build`'s business: without
// it the page at / says the UI is not built yet.
import { runBuilt } from './built-entry.mjs';

runBuilt({ what: 'the service', bundle: 'out/serve/serve.cjs', mode: 'production' });
