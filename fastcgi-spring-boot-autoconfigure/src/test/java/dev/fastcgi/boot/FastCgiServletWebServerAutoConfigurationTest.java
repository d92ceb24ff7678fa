package dev.fastcgi.boot;

import java.net.InetAddress;
import java.time.Duration;

import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;

import dev.fastcgi.protocol.Role;
import dev.fastcgi.server.ListenAddress;
import dev.fastcgi.server.OverloadResponse;
import dev.fastcgi.server.ServerSettings;

import static org.assertj.core.api.Assertions.assertThat;

class FastCgiServletWebServerAutoConfigurationTest {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FastCgiServletWebServerAutoConfiguration.class));

	private final WebApplicationContextRunner standalone = this.runner
		.withClassLoader(new FilteredClassLoader(Tomcat.class));

	@Test
	void standaloneProvidesTheServletWebServerFactory() {
		this.standalone.run((context) -> {
			assertThat(context).hasSingleBean(ServletWebServerFactory.class);
			assertThat(context.getBean(ServletWebServerFactory.class)).isInstanceOf(FastCgiServletWebServerFactory.class);
			assertThat(context).doesNotHaveBean(FastCgiBesideServletContainer.class);
		});
	}

	@Test
	void besideTomcatListensNextToIt() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(FastCgiServletWebServerFactory.class);
			assertThat(context).hasSingleBean(FastCgiBesideServletContainer.class);
		});
	}

	@Test
	void disabledConfiguresNothing() {
		this.runner.withPropertyValues("fastcgi.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(FastCgiBesideServletContainer.class);
			assertThat(context).doesNotHaveBean(FastCgiServletWebServerFactory.class);
		});
		this.standalone.withPropertyValues("fastcgi.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ServletWebServerFactory.class));
	}

	@Test
	void backsOffFromAUserDefinedFactory() {
		this.standalone.withBean("custom", ServletWebServerFactory.class, () -> (initializers) -> null)
			.run((context) -> assertThat(context.getBeansOfType(ServletWebServerFactory.class)).containsOnlyKeys("custom"));
	}

	@Test
	void propertiesReachTheServerSettings() {
		this.standalone
			.withPropertyValues("fastcgi.socket=unix:/run/app/fcgi.sock", "fastcgi.backlog=77",
					"fastcgi.mode=responder,authorizer", "fastcgi.multiplexing=false", "fastcgi.max-requests=9",
					"fastcgi.socket-permissions=660")
			.run((context) -> {
				ServerSettings settings = context.getBean(FastCgiServletWebServerFactory.class).serverSettings();
				assertThat(settings.getAddress()).isEqualTo(new ListenAddress.UnixSocket(java.nio.file.Path.of("/run/app/fcgi.sock")));
				assertThat(settings.getBacklog()).isEqualTo(77);
				assertThat(settings.getRoles()).containsExactlyInAnyOrder(Role.RESPONDER, Role.AUTHORIZER);
				assertThat(settings.isMultiplexing()).isFalse();
				assertThat(settings.getMaxRequests()).isEqualTo(9);
				assertThat(settings.getSocketPermissions()).isEqualTo("660");
			});
	}

	@Test
	void limitsTimeoutsAndAccessControlReachTheServerSettings() {
		this.standalone
			.withPropertyValues("fastcgi.overload-response=http-503", "fastcgi.max-requests-per-connection=2",
					"fastcgi.max-body-size=10MB", "fastcgi.params-timeout=5s", "fastcgi.body-idle-timeout=7s",
					"fastcgi.keep-alive-timeout=1m", "fastcgi.request-timeout=30s", "fastcgi.slow-request-threshold=2s",
					"fastcgi.allowed-clients=10.0.0.0/8,::1", "fastcgi.allowed-peer-users=www-data",
					"fastcgi.allowed-peer-groups=www-data,nginx")
			.run((context) -> {
				ServerSettings settings = context.getBean(FastCgiServletWebServerFactory.class).serverSettings();
				assertThat(settings.getOverloadResponse()).isEqualTo(OverloadResponse.HTTP_503);
				assertThat(settings.getMaxRequestsPerConnection()).isEqualTo(2);
				assertThat(settings.getMaxBodySize()).isEqualTo(10L * 1024 * 1024);
				assertThat(settings.getParamsTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(settings.getBodyIdleTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(settings.getKeepAliveTimeout()).isEqualTo(Duration.ofMinutes(1));
				assertThat(settings.getRequestTimeout()).isEqualTo(Duration.ofSeconds(30));
				assertThat(settings.getSlowRequestThreshold()).isEqualTo(Duration.ofSeconds(2));
				assertThat(settings.getAllowedClients().allows(InetAddress.getByName("10.9.8.7"))).isTrue();
				assertThat(settings.getAllowedClients().allows(InetAddress.getByName("127.0.0.1"))).isFalse();
				assertThat(settings.getAllowedPeerUsers()).containsExactly("www-data");
				assertThat(settings.getAllowedPeerGroups()).containsExactlyInAnyOrder("www-data", "nginx");
			});
	}

	@Test
	void withoutAllowedClientsFcgiWebServerAddrsDecides() {
		this.standalone.withPropertyValues("FCGI_WEB_SERVER_ADDRS=192.0.2.1,192.0.2.2").run((context) -> {
			ServerSettings settings = context.getBean(FastCgiServletWebServerFactory.class).serverSettings();
			assertThat(settings.getAllowedClients().allows(InetAddress.getByName("192.0.2.2"))).isTrue();
			assertThat(settings.getAllowedClients().allows(InetAddress.getByName("127.0.0.1"))).isFalse();
		});
	}

	@Test
	void defaultsHaveNoBodyLimitNoRequestTimeoutAndAllowAnyClient() {
		this.standalone.run((context) -> {
			ServerSettings settings = context.getBean(FastCgiServletWebServerFactory.class).serverSettings();
			assertThat(settings.getOverloadResponse()).isEqualTo(OverloadResponse.PROTOCOL_STATUS);
			assertThat(settings.getMaxBodySize()).isNegative();
			assertThat(settings.getParamsTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(settings.getBodyIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(settings.getKeepAliveTimeout()).isEqualTo(Duration.ofMinutes(5));
			assertThat(settings.getRequestTimeout()).isNull();
		});
	}

	@Test
	void anAllowedClientThatIsNotAnAddressFailsNamingTheProperty() {
		this.standalone.withPropertyValues("fastcgi.allowed-clients=web.example.com").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("fastcgi.allowed-clients");
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("web.example.com");
		});
	}

	@Test
	void customizersAdjustTheServerSettings() {
		this.standalone.withBean(FastCgiServerCustomizer.class, () -> (settings) -> settings.setMaxConnections(3))
			.run((context) -> assertThat(
					context.getBean(FastCgiServletWebServerFactory.class).serverSettings().getMaxConnections())
				.isEqualTo(3));
	}

	@Test
	void unknownModeFailsNamingTheProperty() {
		this.standalone.withPropertyValues("fastcgi.mode=responder,gatekeeper").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("fastcgi.mode");
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("gatekeeper");
		});
	}

	@Test
	void malformedSocketFailsWithTheValidForms() {
		this.standalone.withPropertyValues("fastcgi.socket=tcp:localhost").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("fastcgi.socket");
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("needs a port")
				.hasMessageContaining(ListenAddress.SYNTAX);
		});
	}

	@Test
	void backlogBelowOneFails() {
		this.standalone.withPropertyValues("fastcgi.backlog=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("fastcgi.backlog");
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("at least 1");
		});
	}

	@Test
	void badSocketPermissionsFail() {
		this.standalone.withPropertyValues("fastcgi.socket-permissions=everyone").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("fastcgi.socket-permissions");
		});
	}

}
