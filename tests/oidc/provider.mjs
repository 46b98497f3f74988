// A real OpenID Connect provider for SKB's sign-in tests: panva/oidc-provider (OpenID Certified),
// on loopback only, with its own login form (the development interactions) and a few people of a
// theme group as accounts. Started and stopped by tests/test_signin_browser.py; nothing here is SKB.
//
//   ISSUER=http://localhost:8572 PORT=8572 CLIENT_ID=skb CLIENT_SECRET=... REDIRECT_URI=... node provider.mjs
//
// The login form takes an account's login and any password (the development interactions do not
// check passwords); what the test exercises is SKB's side: the redirect, the code exchange, the
// signed ID token and its claims, and the roles those claims lead to.
import Provider from "oidc-provider";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const ACCOUNTS = {
  elif: { email: "elif.sahin@orebro.se", name: "Elif Şahin" },
  johan: { email: "johan.lindqvist@orebro.se", name: "Johan Lindqvist" },
  marta: { email: "marta.wisniewska@orebro.se", name: "Marta Wiśniewska" },
  admin: { email: "it-admin@orebro.se", name: "IT-förvaltningen" },
};

const configuration = {
  clients: [{
    client_id: env("CLIENT_ID"),
    client_secret: env("CLIENT_SECRET"),
    redirect_uris: [env("REDIRECT_URI")],
    post_logout_redirect_uris: [env("REDIRECT_URI")],
    grant_types: ["authorization_code"],
    response_types: ["code"],
  }],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username"] },
  // The profile and e-mail go into the ID token itself: that token is all st.login reads.
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    const known = ACCOUNTS[id];
    if (!known) return undefined; // an unknown login is refused by the provider
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: known.email, email_verified: true, name: known.name, preferred_username: id };
      },
    };
  },
  // A first-party application, consented for by the organisation (as an Entra ID admin would).
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: true } },
};

const provider = new Provider(env("ISSUER"), configuration);
const port = Number(env("PORT"));
provider.listen(port, "127.0.0.1", () => {
  console.log(`oidc provider ready on ${env("ISSUER")}`);
});
