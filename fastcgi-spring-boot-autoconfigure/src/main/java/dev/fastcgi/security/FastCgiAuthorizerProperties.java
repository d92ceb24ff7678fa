package dev.fastcgi.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How authorizer requests are answered, when {@code fastcgi.mode} includes {@code authorizer}.
 */
@ConfigurationProperties("fastcgi.authorizer")
public class FastCgiAuthorizerProperties {

	/**
	 * Whether an allowed authorizer request goes on to the application's servlet (controllers),
	 * which then writes the answer. Off, it is answered 200 with its Variable-* headers as soon as
	 * the application's filters let it through.
	 */
	private boolean dispatchToApplication;

	private final Security security = new Security();

	public boolean isDispatchToApplication() {
		return this.dispatchToApplication;
	}

	public void setDispatchToApplication(boolean dispatchToApplication) {
		this.dispatchToApplication = dispatchToApplication;
	}

	public Security getSecurity() {
		return this.security;
	}

	public static class Security {

		/**
		 * Whether FastCgiAuthorizerConfigurer applies to every Spring Security filter chain:
		 * authenticates Apache mod_authnz_fcgi requests from REMOTE_USER and REMOTE_PASSWD, and
		 * exempts authorizer requests from CSRF protection.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
