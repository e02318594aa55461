import { reactive } from 'vue';

const KEY = 'dataportal.token';

function stored(): string | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/**
 * Who the page talks to the API as. A pasted token is kept for this browser tab only
 * (sessionStorage) and sent as `Authorization: Bearer`; where the server offers a session
 * cookie, the cookie (httpOnly, set by the server) is used instead and nothing is stored here.
 */
export const auth = reactive({
  /** True once the API answered 401: the app shows the sign-in page. */
  signInRequired: false,
  token: stored() as string | null,
  requireSignIn() {
    this.signInRequired = true;
  },
  signIn(token: string) {
    this.token = token;
    try {
      sessionStorage.setItem(KEY, token);
    } catch {
      // storage refused (private mode): the token lives in memory for this page
    }
    this.signInRequired = false;
  },
  signOut() {
    this.token = null;
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // nothing stored
    }
    this.signInRequired = true;
  },
});
