// Stands in for axios/lib/adapters/fetch.js in `npm run serve`'s bundle (vite.serve.config.ts). axios
// builds its fetch adapter as soon as it is imported, and touching `fetch` makes Node load its fetch
// implementation (about 12 MB resident and 20 ms at every start); the service only uses axios's http adapter.
export const getFetch = () => false;
export default false;
