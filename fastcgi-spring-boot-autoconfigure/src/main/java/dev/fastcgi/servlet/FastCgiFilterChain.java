package dev.fastcgi.servlet;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * The filters of one dispatch, then its servlet.
 */
final class FastCgiFilterChain implements FilterChain {

	private final FastCgiFilterRegistration[] filters;

	private final FastCgiServletRegistration servlet;

	private int next;

	private FastCgiFilterChain(FastCgiFilterRegistration[] filters, FastCgiServletRegistration servlet) {
		this.filters = filters;
		this.servlet = servlet;
	}

	/**
	 * Runs a dispatch: makes its state current on the request, runs the filters mapped to its type,
	 * path and servlet, then the servlet, and restores the previous state.
	 */
	static void dispatch(DispatchState dispatch, ServletRequest request, ServletResponse response)
			throws ServletException, IOException {
		String path = (dispatch.pathInfo() != null) ? dispatch.servletPath() + dispatch.pathInfo()
				: dispatch.servletPath();
		dispatch(dispatch, path, request, response);
	}

	/**
	 * Runs a dispatch whose filters are chosen by another path than the state's own: an include
	 * keeps the including request's path elements but is filtered by the included path.
	 */
	static void dispatch(DispatchState dispatch, String filterPath, ServletRequest request,
			ServletResponse response) throws ServletException, IOException {
		FastCgiServletRequest fastCgiRequest = FastCgiServletRequest.unwrap(request);
		FastCgiServletContext context = fastCgiRequest.servletContext();
		FastCgiServletRegistration servlet = dispatch.servlet();
		FastCgiFilterRegistration[] filters = context.filterMappings()
			.chainFor(dispatch.type(), filterPath, servlet.getName());
		dispatch.setAsyncSupported(isAsyncSupported(servlet, filters));
		DispatchState previous = fastCgiRequest.enter(dispatch);
		try {
			new FastCgiFilterChain(filters, servlet).doFilter(request, response);
		}
		finally {
			fastCgiRequest.restore(previous);
		}
	}

	private static boolean isAsyncSupported(FastCgiServletRegistration servlet, FastCgiFilterRegistration[] filters) {
		if (!servlet.isAsyncSupported()) {
			return false;
		}
		for (FastCgiFilterRegistration filter : filters) {
			if (!filter.isAsyncSupported()) {
				return false;
			}
		}
		return true;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response) throws IOException, ServletException {
		if (this.next < this.filters.length) {
			this.filters[this.next++].filter().doFilter(request, response, this);
		}
		else {
			this.servlet.initializedServlet().service(request, response);
		}
	}

}
