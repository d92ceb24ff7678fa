package dev.fastcgi.servlet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.fastcgi.server.FastCgiExchange;
import dev.fastcgi.server.FastCgiHandler;
import dev.fastcgi.server.RequestAbortedException;

/**
 * Serves FastCGI requests with the servlets and filters of a {@link FastCgiServletContext}: the
 * entry point of the servlet bridge.
 * <p>
 * A request whose path cannot be decoded is answered 400 before any application code runs, one
 * outside the context path 404. Otherwise the request listeners are told, the REQUEST dispatch
 * runs, errors (uncaught exceptions, {@code sendError}) go to the matching error page in an
 * ERROR dispatch, and an async request is carried through its ASYNC dispatches: {@link #handle}
 * returns only when the response is complete. Responders, authorizers and filters are served
 * alike; an authorizer's response (including {@code Variable-*} headers) is written as the
 * application makes it.
 */
public class FastCgiServletHandler implements FastCgiHandler {

	private static final Log logger = LogFactory.getLog(FastCgiServletHandler.class);

	private final FastCgiServletContext context;

	public FastCgiServletHandler(FastCgiServletContext context) {
		this.context = context;
	}

	@Override
	public void handle(FastCgiExchange exchange) throws IOException {
		CgiEnvironment environment = new CgiEnvironment(exchange.params());
		String path;
		try {
			path = RequestPaths.decode(environment.rawPath());
			if (environment.queryString() != null) {
				RequestPaths.checkTargetCharacters(environment.queryString());
			}
		}
		catch (BadRequestException ex) {
			logger.debug("Rejected request target '" + environment.rawPath() + "': " + ex.getMessage());
			writeBareError(exchange, 400);
			return;
		}
		String contextPath = this.context.getContextPath();
		if (!path.startsWith(contextPath)
				|| (path.length() > contextPath.length() && path.charAt(contextPath.length()) != '/')) {
			writeBareError(exchange, 404);
			return;
		}
		if (path.length() == contextPath.length()) {
			redirectToContextRoot(exchange, environment);
			return;
		}
		FastCgiServletRequest request = new FastCgiServletRequest(this.context, exchange, environment,
				path.substring(contextPath.length()));
		FastCgiServletResponse response = new FastCgiServletResponse(exchange, this.context, request);
		request.setResponse(response);
		this.context.fireRequestInitialized(request);
		try {
			service(request, response);
		}
		finally {
			try {
				this.context.fireRequestDestroyed(request);
			}
			finally {
				request.cleanUp();
			}
		}
	}

	private void service(FastCgiServletRequest request, FastCgiServletResponse response) {
		Throwable failure = null;
		FastCgiServletRegistration servlet = request.rootState().servlet();
		if ("TRACE".equals(request.getMethod())) {
			refuseTrace(servlet, response);
		}
		else if (servlet != null) {
			failure = dispatch(request.rootState(), request, response);
		}
		else {
			response.setError(404);
		}
		FastCgiAsyncContext async = request.asyncContextIfStarted();
		if (async != null && async.isStarted()) {
			runAsyncCycle(request, response, async, failure);
		}
		else {
			afterDispatch(request, response, failure);
		}
		try {
			response.finish();
		}
		catch (IOException ex) {
			logger.debug("Could not complete the response of " + request.getRequestURI(), ex);
		}
	}

	/**
	 * Answers TRACE 405 before any filter or servlet runs, with the error page, as Tomcat's
	 * connector does unless {@code allowTrace} is set: a TRACE echoes the request's headers,
	 * credentials included.
	 */
	private static void refuseTrace(FastCgiServletRegistration servlet, FastCgiServletResponse response) {
		if (servlet != null) {
			response.setHeader("Allow", servlet.allowedMethodsButTrace());
		}
		response.setError(405, "TRACE method is not allowed");
	}

	/**
	 * A response that fails once committed can no longer become an error page: as Tomcat does,
	 * the page is included after what was sent, and the response is broken off rather than ended,
	 * so that the client sees it cut short and cannot take it for whole.
	 */
	private void breakOff(FastCgiServletRequest request, FastCgiServletResponse response, String errorPage) {
		try {
			if (errorPage != null) {
				this.context.getRequestDispatcher(errorPage).include(request, response);
			}
			response.flushBuffer();
		}
		catch (IOException | ServletException | RuntimeException ex) {
			logger.debug("Could not include the error page " + errorPage + " in the committed response of "
					+ request.getRequestURI(), ex);
		}
		request.exchange().breakOff();
	}

	/** Runs a dispatch; an exception the application let through is returned, not thrown. */
	private Throwable dispatch(DispatchState state, ServletRequest request, ServletResponse response) {
		try {
			FastCgiFilterChain.dispatch(state, request, response);
			return null;
		}
		catch (VirtualMachineError ex) {
			if (!(ex instanceof StackOverflowError)) {
				throw ex;
			}
			return ex;
		}
		catch (Throwable ex) {
			return ex;
		}
	}

	/** After a dispatch that left no async cycle open: the error page, if one is due. */
	private void afterDispatch(FastCgiServletRequest request, FastCgiServletResponse response, Throwable failure) {
		if (failure != null) {
			String message = "Servlet.service() for servlet [" + servletName(request) + "] threw exception";
			if (RequestAbortedException.isCauseOf(failure)) {
				// the web server gave up on the request: nobody is left to read an error page
				logger.debug(message, failure);
				return;
			}
			if (failure instanceof InvalidParameterException) {
				logger.debug(message, failure);
			}
			else {
				logger.error(message, failure);
			}
			errorDispatch(request, response, failure);
		}
		else if (response.isError()) {
			errorDispatch(request, response, null);
		}
	}

	/**
	 * Waits for the application's async decisions and acts on them until the cycle completes:
	 * ASYNC dispatches, timeouts (listeners first, then an error page with 500 as on Tomcat), the
	 * web server going away (listeners' {@code onError}).
	 */
	private void runAsyncCycle(FastCgiServletRequest request, FastCgiServletResponse response,
			FastCgiAsyncContext async, Throwable requestFailure) {
		if (requestFailure != null && !failAsync(request, response, async, requestFailure)) {
			return;
		}
		while (true) {
			FastCgiAsyncContext.Next next;
			try {
				next = async.awaitNext();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				async.finish();
				return;
			}
			switch (next) {
				case COMPLETE -> {
					async.finish();
					return;
				}
				case TIMED_OUT -> {
					async.fireTimeout();
					if (!async.hasDecided()) {
						response.setError(500);
						errorDispatch(request, response, null);
						async.finish();
						return;
					}
				}
				case ABORTED -> {
					async.fireError(async.abortCause());
					if (!async.hasDecided()) {
						async.finish();
						return;
					}
				}
				case DISPATCH -> {
					Throwable failure = asyncDispatch(request, async);
					if (failure != null) {
						if (!failAsync(request, response, async, failure)) {
							return;
						}
					}
					else if (!async.isStarted()) {
						afterDispatch(request, response, null);
						async.finish();
						return;
					}
				}
			}
		}
	}

	/**
	 * Tells the listeners of a failure in an async request; if none of them dispatches or
	 * completes, the error page answers and the cycle ends.
	 * @return whether the cycle goes on
	 */
	private boolean failAsync(FastCgiServletRequest request, FastCgiServletResponse response,
			FastCgiAsyncContext async, Throwable failure) {
		async.reopenForError();
		async.fireError(failure);
		if (async.hasDecided()) {
			return true;
		}
		afterDispatch(request, response, failure);
		async.finish();
		return false;
	}

	private Throwable asyncDispatch(FastCgiServletRequest request, FastCgiAsyncContext async) {
		String path = async.dispatchPath();
		DispatchTarget target = this.context.resolveDispatchPath(path);
		if (target == null) {
			return new ServletException("No servlet for the async dispatch to '" + path + "'");
		}
		DispatchState root = request.rootState();
		if (request.getAttribute(AsyncContext.ASYNC_REQUEST_URI) == null) {
			request.setAttribute(AsyncContext.ASYNC_REQUEST_URI, root.requestUri());
			request.setAttribute(AsyncContext.ASYNC_CONTEXT_PATH, request.getContextPath());
			request.setAttribute(AsyncContext.ASYNC_SERVLET_PATH, root.servletPath());
			request.setAttribute(AsyncContext.ASYNC_PATH_INFO, root.pathInfo());
			request.setAttribute(AsyncContext.ASYNC_QUERY_STRING, root.queryString());
			request.setAttribute(AsyncContext.ASYNC_MAPPING, root.mapping());
		}
		DispatchState state = root.toPath(DispatcherType.ASYNC, target.requestUri(), target.queryString(),
				target.match());
		return dispatch(state, async.servletRequest(), async.servletResponse());
	}

	/**
	 * The ERROR dispatch: to the error page for the exception or the status (else the global
	 * page), with the {@code jakarta.servlet.error.*} attributes Tomcat sets; the default report
	 * when no page answers. Once the response is committed it is broken off instead, the page
	 * included after what was sent.
	 */
	private void errorDispatch(FastCgiServletRequest request, FastCgiServletResponse response, Throwable exception) {
		if (request.exchange().isAborted()) {
			return;
		}
		boolean committed = response.isInternallyCommitted();
		ErrorPages errorPages = this.context.errorPages();
		String location = null;
		String message;
		if (exception != null) {
			response.setError(failureStatus(exception));
			location = errorPages.forException(exception);
			message = exception.getMessage();
			Throwable realError = rootCause(exception);
			request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, realError);
			request.setAttribute(RequestDispatcher.ERROR_EXCEPTION_TYPE, realError.getClass());
		}
		else {
			message = (response.errorMessage() != null) ? response.errorMessage() : "";
		}
		int status = response.getStatus();
		if (location == null) {
			location = errorPages.forStatus(status);
		}
		DispatchState root = request.rootState();
		request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
		request.setAttribute(RequestDispatcher.ERROR_MESSAGE, message);
		request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, root.requestUri());
		request.setAttribute(RequestDispatcher.ERROR_SERVLET_NAME, servletName(request));
		request.setAttribute(RequestDispatcher.ERROR_METHOD, request.getMethod());
		request.setAttribute(RequestDispatcher.ERROR_QUERY_STRING, root.queryString());
		DispatchTarget target = (location != null) ? this.context.resolveDispatchPath(location) : null;
		if (committed) {
			breakOff(request, response, (target != null) ? location : null);
			return;
		}
		try {
			if (target == null) {
				response.sendErrorReport();
				return;
			}
			response.prepareErrorDispatch();
			DispatchState errorState = root.toPath(DispatcherType.ERROR, target.requestUri(), target.queryString(),
					target.match());
			Map<String, Object> previous = FastCgiRequestDispatcher.setAttributes(request,
					FastCgiRequestDispatcher.forwardAttributes(request, root));
			request.setInErrorDispatch(true);
			Throwable failure;
			try {
				failure = dispatch(errorState, request, response);
			}
			finally {
				request.setInErrorDispatch(false);
				previous.forEach(request::setAttribute);
			}
			if (failure != null) {
				logger.error("The error page " + location + " failed", failure);
			}
			// An error page that itself sends an error leaves the response as it is on Tomcat:
			// the status it set and what it wrote. Only a failing one gets the default report.
			if (failure != null && !response.isInternallyCommitted()) {
				response.sendErrorReport();
			}
		}
		catch (IOException ex) {
			logger.debug("Could not write the error response of " + root.requestUri(), ex);
		}
	}

	/**
	 * 500, unless the exception or its cause is an {@link InvalidParameterException}: its
	 * status then, as Tomcat answers.
	 */
	private static int failureStatus(Throwable exception) {
		if (exception instanceof InvalidParameterException invalid) {
			return invalid.status();
		}
		if (exception.getCause() instanceof InvalidParameterException invalid) {
			return invalid.status();
		}
		return 500;
	}

	/** Tomcat reports the root cause of a {@link ServletException} as the exception. */
	private static Throwable rootCause(Throwable exception) {
		if (exception instanceof ServletException servletException && servletException.getRootCause() != null) {
			return servletException.getRootCause();
		}
		return exception;
	}

	private static String servletName(FastCgiServletRequest request) {
		FastCgiServletRegistration servlet = request.rootState().servlet();
		return (servlet != null) ? servlet.getName() : null;
	}

	/** Answers without involving the application, as Tomcat does before a request reaches it. */
	private static void writeBareError(FastCgiExchange exchange, int status) throws IOException {
		byte[] body = ErrorReport.html(status);
		writeBare(exchange, "Status: " + status + " " + HttpStatusText.reason(status) + "\r\nContent-Type: "
				+ ErrorReport.CONTENT_TYPE + "\r\nContent-Language: en\r\nContent-Length: " + body.length + "\r\n\r\n",
				body);
	}

	/** {@code /app} becomes {@code /app/}, as Tomcat redirects a request for the context root. */
	private void redirectToContextRoot(FastCgiExchange exchange, CgiEnvironment environment) throws IOException {
		String location = environment.origin() + this.context.getContextPath() + "/"
				+ ((environment.queryString() != null) ? "?" + environment.queryString() : "");
		writeBare(exchange, "Status: 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n",
				new byte[0]);
	}

	private static void writeBare(FastCgiExchange exchange, String head, byte[] body) throws IOException {
		OutputStream stdout = exchange.stdout();
		stdout.write(head.getBytes(StandardCharsets.ISO_8859_1));
		if (!"HEAD".equals(exchange.params().get("REQUEST_METHOD"))) {
			stdout.write(body);
		}
	}

}
