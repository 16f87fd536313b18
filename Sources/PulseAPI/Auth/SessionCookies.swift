import HTTPTypes

/// The cookies a sign-in (password or single sign-on) hands to the browser.
enum SessionCookies {
    /// The session cookie (HttpOnly) and the CSRF cookie (readable by the dashboard's script);
    /// empty values with `maxAge` 0 remove both.
    static func fields(session: String, csrf: String, maxAge: Int, secure: Bool) -> [HTTPField] {
        let secure = secure ? "; Secure" : ""
        return [
            HTTPField(
                name: .setCookie,
                value: "\(AuthenticationMiddleware.sessionCookie)=\(session); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax\(secure)"),
            HTTPField(name: .setCookie, value: "\(AuthenticationMiddleware.csrfCookie)=\(csrf); Path=/; Max-Age=\(maxAge); SameSite=Lax\(secure)"),
        ]
    }
}
