// node-oidc-provider for scripts/bench_bff.py: one confidential client (Apache + mod_auth_openidc),
// PKCE S256, the library's dev interactions for login and consent. Loopback only.
// Usage: node oidc_provider.mjs <port> <client_id> <client_secret> <redirect_uri>
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  // Non-default: PKCE on every authorization request, as the BFF side does.
  pkce: { required: () => true },
  // Default (dev interactions: any login name, any password), written out because we rely on it.
  features: { devInteractions: { enabled: true } },
  // Non-default: a token that outlives any benchmark run, so no refresh happens mid-run.
  ttl: { AccessToken: 8 * 3600, IdToken: 3600 },
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
