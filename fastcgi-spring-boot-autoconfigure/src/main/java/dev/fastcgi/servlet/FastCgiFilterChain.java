package dev.fastcgi.servlet;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * The filters of one dispatch, then its servlet.
 */
final class FastCgiFilterChain implements FilterChain {

	private final List<FastCgiFilterRegistration> filters;

	private final FastCgiServletRegistration servlet;

	private int next;

	private FastCgiFilterChain(List<FastCgiFilterRegistration> filters, FastCgiServletRegistration servlet) {
		this.filters = filters;
		this.servlet = servlet;
	}

	/**
	 * Runs a dispatch: makes its state current on the request, runs the filters mapped to its type,
	 * path and servlet, then the servlet, and restores the previous state.
	 */
	static void dispatch(DispatchState dispatch, ServletRequest request, ServletResponse response)
			throws ServletException, IOException {
		String path = dispatch.servletPath() + ((dispatch.pathInfo() != null) ? dispatch.pathInfo() : "");
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
		List<FastCgiFilterRegistration> filters = context.filterMappings()
			.chainFor(dispatch.type(), filterPath, servlet.getName());
		dispatch.setAsyncSupported(servlet.isAsyncSupported()
				&& filters.stream().allMatch(FastCgiFilterRegistration::isAsyncSupported));
		DispatchState previous = fastCgiRequest.enter(dispatch);
		try {
			new FastCgiFilterChain(filters, servlet).doFilter(request, response);
		}
		finally {
			fastCgiRequest.restore(previous);
		}
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response) throws IOException, ServletException {
		if (this.next < this.filters.size()) {
			this.filters.get(this.next++).filter().doFilter(request, response, this);
		}
		else {
			this.servlet.initializedServlet().service(request, response);
		}
	}

}
