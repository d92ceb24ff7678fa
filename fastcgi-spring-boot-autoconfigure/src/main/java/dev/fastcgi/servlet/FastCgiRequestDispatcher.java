package dev.fastcgi.servlet;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Forwards to or includes a path of the context, or a servlet by name.
 */
final class FastCgiRequestDispatcher implements RequestDispatcher {

	private final DispatchTarget target;

	private final FastCgiServletRegistration namedServlet;

	private FastCgiRequestDispatcher(DispatchTarget target, FastCgiServletRegistration namedServlet) {
		this.target = target;
		this.namedServlet = namedServlet;
	}

	static FastCgiRequestDispatcher toPath(DispatchTarget target) {
		return new FastCgiRequestDispatcher(target, null);
	}

	static FastCgiRequestDispatcher toServlet(FastCgiServletRegistration servlet) {
		return new FastCgiRequestDispatcher(null, servlet);
	}

	@Override
	public void forward(ServletRequest request, ServletResponse response) throws ServletException, IOException {
		if (response.isCommitted()) {
			throw new IllegalStateException("Cannot forward after the response has been committed");
		}
		response.resetBuffer();
		FastCgiServletRequest fastCgiRequest = FastCgiServletRequest.unwrap(request);
		DispatchState current = fastCgiRequest.state();
		if (this.namedServlet != null) {
			FastCgiFilterChain.dispatch(current.toServlet(DispatcherType.FORWARD, this.namedServlet, null), request,
					response);
		}
		else {
			DispatchState forwarded = current.toPath(DispatcherType.FORWARD, this.target.requestUri(),
					this.target.queryString(), this.target.match());
			Map<String, Object> previous = setAttributes(fastCgiRequest, forwardAttributes(request, current));
			try {
				FastCgiFilterChain.dispatch(forwarded, request, response);
			}
			finally {
				previous.forEach(fastCgiRequest::setAttribute);
			}
		}
		if (!fastCgiRequest.isAsyncStarted()) {
			fastCgiRequest.response().suspend();
		}
	}

	@Override
	public void include(ServletRequest request, ServletResponse response) throws ServletException, IOException {
		FastCgiServletRequest fastCgiRequest = FastCgiServletRequest.unwrap(request);
		DispatchState current = fastCgiRequest.state();
		ServletResponse included = (response instanceof HttpServletResponse httpResponse)
				? new IncludeResponse(httpResponse) : response;
		if (this.namedServlet != null) {
			FastCgiFilterChain.dispatch(current.toServlet(DispatcherType.INCLUDE, this.namedServlet, null), request,
					included);
			return;
		}
		ServletMatch match = this.target.match();
		Map<String, Object> includeAttributes = new LinkedHashMap<>();
		includeAttributes.put(INCLUDE_REQUEST_URI, this.target.requestUri());
		includeAttributes.put(INCLUDE_CONTEXT_PATH, request.getServletContext().getContextPath());
		includeAttributes.put(INCLUDE_SERVLET_PATH, match.servletPath());
		includeAttributes.put(INCLUDE_PATH_INFO, match.pathInfo());
		includeAttributes.put(INCLUDE_QUERY_STRING, this.target.queryString());
		includeAttributes.put(INCLUDE_MAPPING, match.mapping());
		DispatchState including = current.toServlet(DispatcherType.INCLUDE, match.registration(),
				this.target.queryString());
		Map<String, Object> previous = setAttributes(fastCgiRequest, includeAttributes);
		try {
			FastCgiFilterChain.dispatch(including, this.target.pathWithinContext(), request, included);
		}
		finally {
			previous.forEach(fastCgiRequest::setAttribute);
		}
	}

	/**
	 * The {@code jakarta.servlet.forward.*} attributes a forward from the current dispatch sets:
	 * none when an earlier forward set them (they keep describing the request the client made).
	 * Tomcat sets them for the ERROR dispatch too.
	 */
	static Map<String, Object> forwardAttributes(ServletRequest request, DispatchState current) {
		Map<String, Object> attributes = new LinkedHashMap<>();
		if (request.getAttribute(FORWARD_REQUEST_URI) == null) {
			attributes.put(FORWARD_REQUEST_URI, current.requestUri());
			attributes.put(FORWARD_CONTEXT_PATH, request.getServletContext().getContextPath());
			attributes.put(FORWARD_SERVLET_PATH, current.servletPath());
			attributes.put(FORWARD_PATH_INFO, current.pathInfo());
			attributes.put(FORWARD_QUERY_STRING, current.queryString());
			attributes.put(FORWARD_MAPPING, current.mapping());
		}
		return attributes;
	}

	/** Sets the attributes of a dispatch; returns the values they had, to put back when it returns. */
	static Map<String, Object> setAttributes(FastCgiServletRequest request, Map<String, Object> attributes) {
		Map<String, Object> previous = new LinkedHashMap<>();
		attributes.forEach((name, value) -> {
			previous.put(name, request.getAttribute(name));
			request.setAttribute(name, value);
		});
		return previous;
	}

}
