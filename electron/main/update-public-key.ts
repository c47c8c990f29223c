// The project's release key (ed25519, public half). Every update file a release publishes carries a
// detached signature made with the private half (a CI secret, see .github/workflows/release.yml and
// scripts/sign-update-files.ts); the app installs nothing whose signature does not verify against this.
export const UPDATE_PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAInX1ftjqlliUCw9DDNsUTrlcHEqNksccNFHGs1Z90Q4=
-----END PUBLIC KEY-----
`;
