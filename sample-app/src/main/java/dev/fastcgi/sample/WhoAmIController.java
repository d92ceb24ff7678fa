package dev.fastcgi.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.fastcgi.server.Params;
import dev.fastcgi.servlet.FastCgiServletRequest;

/**
 * Who the web server says the user is: the remote user and, when an authorizer let the request
 * through, the AUTHORITIES variable it handed on (a FastCGI param, not a header).
 */
@RestController
class WhoAmIController {

	@GetMapping("/admin/whoami")
	Map<String, String> whoAmI(HttpServletRequest request) {
		Map<String, String> answer = new LinkedHashMap<>();
		answer.put("user", request.getRemoteUser());
		if (request.getAttribute(FastCgiServletRequest.PARAMS_ATTRIBUTE) instanceof Params params) {
			answer.put("authorizerAuthorities", params.get("AUTHORITIES"));
		}
		return answer;
	}

}
