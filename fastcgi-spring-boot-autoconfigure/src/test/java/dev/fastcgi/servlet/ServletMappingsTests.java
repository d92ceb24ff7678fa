package dev.fastcgi.servlet;

import java.util.EnumSet;
import java.util.List;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.HttpConstraintElement;
import jakarta.servlet.ServletSecurityElement;
import jakarta.servlet.GenericFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.MappingMatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ServletMappingsTests {

	private final FastCgiServletContext context = new FastCgiServletContext("/app");

	private FastCgiServletRegistration exact;

	private FastCgiServletRegistration prefix;

	private FastCgiServletRegistration deeperPrefix;

	private FastCgiServletRegistration extension;

	private FastCgiServletRegistration defaultServlet;

	private FastCgiServletRegistration contextRoot;

	@BeforeEach
	void registerServlets() {
		this.exact = servlet("exact", "/exact", "/foo/bar/exact");
		this.prefix = servlet("prefix", "/foo/*");
		this.deeperPrefix = servlet("deeperPrefix", "/foo/bar/*");
		this.extension = servlet("extension", "*.do");
		this.defaultServlet = servlet("default", "/");
		this.contextRoot = servlet("root", "");
	}

	private FastCgiServletRegistration servlet(String name, String... patterns) {
		FastCgiServletRegistration registration = (FastCgiServletRegistration) this.context.addServlet(name,
				new HttpServlet() {
				});
		assertThat(registration.addMapping(patterns)).isEmpty();
		return registration;
	}

	@Test
	void jspAndContainerSecurityConstraintsAreRefusedNamingWhatToUseInstead() {
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> this.context.addJspFile("page", "/page.jsp"))
			.withMessageContaining("JSP");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> this.exact.setServletSecurity(new ServletSecurityElement(new HttpConstraintElement())))
			.withMessageContaining("Spring Security");
	}

	@Test
	void exactMatchWinsOverPrefix() {
		assertMatch("/foo/bar/exact", this.exact, "/foo/bar/exact", null, MappingMatch.EXACT, "/foo/bar/exact",
				"foo/bar/exact");
	}

	@Test
	void longestPrefixWins() {
		assertMatch("/foo/bar/baz.do", this.deeperPrefix, "/foo/bar", "/baz.do", MappingMatch.PATH, "/foo/bar/*",
				"baz.do");
		assertMatch("/foo/baz", this.prefix, "/foo", "/baz", MappingMatch.PATH, "/foo/*", "baz");
	}

	@Test
	void prefixMatchesItsOwnPathWithoutPathInfo() {
		assertMatch("/foo", this.prefix, "/foo", null, MappingMatch.PATH, "/foo/*", "");
		assertMatch("/foo/", this.prefix, "/foo", "/", MappingMatch.PATH, "/foo/*", "");
	}

	@Test
	void prefixMatchesWholeSegmentsOnly() {
		assertMatch("/foobar", this.defaultServlet, "/foobar", null, MappingMatch.DEFAULT, "/", "");
	}

	@Test
	void extensionMatchesLastSegment() {
		assertMatch("/a/b.do", this.extension, "/a/b.do", null, MappingMatch.EXTENSION, "*.do", "a/b");
		assertMatch("/a.do/b", this.defaultServlet, "/a.do/b", null, MappingMatch.DEFAULT, "/", "");
	}

	@Test
	void contextRootMatchesSlashOnly() {
		assertMatch("/", this.contextRoot, "", "/", MappingMatch.CONTEXT_ROOT, "", "");
	}

	@Test
	void slashStarMatchesEverythingWithEmptyServletPath() {
		FastCgiServletContext other = new FastCgiServletContext("");
		FastCgiServletRegistration all = (FastCgiServletRegistration) other.addServlet("all", new HttpServlet() {
		});
		all.addMapping("/*");
		ServletMatch match = other.servletMappings().match("/x/y");
		assertThat(match.servletPath()).isEmpty();
		assertThat(match.pathInfo()).isEqualTo("/x/y");
		assertThat(match.mapping().getMatchValue()).isEqualTo("x/y");
		assertThat(other.servletMappings().match("/").pathInfo()).isEqualTo("/");
	}

	@Test
	void noMatchWithoutDefaultServlet() {
		FastCgiServletContext other = new FastCgiServletContext("");
		other.addServlet("one", new HttpServlet() {
		}).addMapping("/one");
		assertThat(other.servletMappings().match("/two")).isNull();
	}

	@Test
	void conflictingPatternIsReportedAndNothingIsAdded() {
		FastCgiServletRegistration other = (FastCgiServletRegistration) this.context.addServlet("other",
				new HttpServlet() {
				});
		assertThat(other.addMapping("/new", "/exact")).containsExactly("/exact");
		assertThat(other.getMappings()).isEmpty();
		assertThat(this.context.servletMappings().match("/new").registration()).isSameAs(this.defaultServlet);
	}

	@Test
	void invalidPatternsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.exact.addMapping("foo"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.exact.addMapping("/a*b"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.exact.addMapping("*.a/b"));
	}

	@Test
	void registrationsAreRefusedAfterStart() throws Exception {
		this.context.start();
		try {
			assertThatIllegalStateException().isThrownBy(() -> this.exact.addMapping("/late"));
			assertThatIllegalStateException().isThrownBy(() -> this.context.addServlet("late", new HttpServlet() {
			}));
		}
		finally {
			this.context.stop();
		}
	}

	@Test
	void filterChainFollowsMappingOrderUrlPatternsBeforeServletNames() {
		FastCgiFilterRegistration byName = filter("byName");
		FastCgiFilterRegistration second = filter("second");
		FastCgiFilterRegistration first = filter("first");
		FastCgiFilterRegistration errorsOnly = filter("errorsOnly");
		FastCgiFilterRegistration other = filter("other");
		byName.addMappingForServletNames(null, true, "prefix");
		second.addMappingForUrlPatterns(null, true, "/foo/*");
		first.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/*");
		errorsOnly.addMappingForUrlPatterns(EnumSet.of(DispatcherType.ERROR), false, "/*");
		other.addMappingForUrlPatterns(null, false, "*.do", "/exact");

		assertThat(chain(DispatcherType.REQUEST, "/foo/x")).containsExactly(first, second, byName);
		assertThat(chain(DispatcherType.ASYNC, "/foo/x")).containsExactly(first);
		assertThat(chain(DispatcherType.ERROR, "/foo/x")).containsExactly(errorsOnly);
		assertThat(chain(DispatcherType.REQUEST, "/foo/x.do")).containsExactly(first, other, second, byName);
		assertThat(chain(DispatcherType.REQUEST, "/exact")).containsExactly(first, other);
	}

	@Test
	void chainMappedForAllPathsIsResolvedOncePerServletUntilTheMappingsChange() {
		FastCgiFilterRegistration everywhere = filter("everywhere");
		FastCgiFilterRegistration byName = filter("byName");
		everywhere.addMappingForUrlPatterns(null, false, "/*");
		byName.addMappingForServletNames(null, true, "prefix");
		FilterMappings mappings = this.context.filterMappings();
		FastCgiFilterRegistration[] first = mappings.chainFor(DispatcherType.REQUEST, "/foo/a", "prefix");
		assertThat(first).containsExactly(everywhere, byName);
		assertThat(mappings.chainFor(DispatcherType.REQUEST, "/foo/b", "prefix")).isSameAs(first);
		assertThat(chain(DispatcherType.REQUEST, "/exact")).containsExactly(everywhere);

		FastCgiFilterRegistration onePath = filter("onePath");
		onePath.addMappingForUrlPatterns(null, true, "/foo/b");
		assertThat(chain(DispatcherType.REQUEST, "/foo/a")).containsExactly(everywhere, byName);
		assertThat(chain(DispatcherType.REQUEST, "/foo/b")).containsExactly(everywhere, onePath, byName);
	}

	@Test
	void filterSlashPatternMatchesSlashOnly() {
		assertThat(FilterMapping.matches("/", "/")).isTrue();
		assertThat(FilterMapping.matches("/", "/a")).isFalse();
		assertThat(FilterMapping.matches("/a/*", "/a")).isTrue();
		assertThat(FilterMapping.matches("/a/*", "/ab")).isFalse();
		assertThat(FilterMapping.matches("*.do", "/x.do/y")).isFalse();
		assertThat(FilterMapping.matches("*.do", "/x.dox")).isFalse();
		assertThat(FilterMapping.matches("*.do", "/y/x.do")).isTrue();
	}

	@Test
	void filterMatchingAllServletNames() {
		FastCgiFilterRegistration all = filter("all");
		all.addMappingForServletNames(EnumSet.of(DispatcherType.FORWARD), true, "*");
		assertThat(chain(DispatcherType.FORWARD, "/anything.do")).containsExactly(all);
	}

	private List<FastCgiFilterRegistration> chain(DispatcherType type, String path) {
		ServletMatch match = this.context.servletMappings().match(path);
		return List.of(
				this.context.filterMappings().chainFor(type, match.pathWithinContext(), match.registration().getName()));
	}

	private FastCgiFilterRegistration filter(String name) {
		return (FastCgiFilterRegistration) this.context.addFilter(name, new GenericFilter() {
			@Override
			public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) {
			}
		});
	}

	private void assertMatch(String path, FastCgiServletRegistration servlet, String servletPath, String pathInfo,
			MappingMatch mappingMatch, String pattern, String matchValue) {
		ServletMatch match = this.context.servletMappings().match(path);
		assertThat(match.registration()).isSameAs(servlet);
		assertThat(match.servletPath()).isEqualTo(servletPath);
		assertThat(match.pathInfo()).isEqualTo(pathInfo);
		assertThat(match.mapping().getMappingMatch()).isEqualTo(mappingMatch);
		assertThat(match.mapping().getPattern()).isEqualTo(pattern);
		assertThat(match.mapping().getMatchValue()).isEqualTo(matchValue);
		assertThat(match.mapping().getServletName()).isEqualTo(servlet.getName());
	}

}
