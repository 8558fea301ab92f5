// Waits until the backend's catalog holds MODELS models (the generated
// catalog file is processed in the background after start-up).
//
//   node ready.mjs BACKEND_URL MODELS TIMEOUT_SECONDS
import { guestToken, waitForCatalog } from './lib.mjs';

const [backend, models, timeout] = process.argv.slice(2);
const token = await guestToken(backend);
const seconds = await waitForCatalog(
  backend,
  token,
  Number(models),
  Number(timeout) * 1000,
);
console.log(`catalog: ${models} models after ${seconds.toFixed(1)} s more`);
