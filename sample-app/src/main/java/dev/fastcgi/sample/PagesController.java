package dev.fastcgi.sample;

import java.security.Principal;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The error demo and the protected admin area; the home page is static/index.html. */
@RestController
class PagesController {

	@GetMapping("/boom")
	String boom() {
		throw new IllegalStateException("Boom: this failure is on purpose, to show the error page");
	}

	@GetMapping("/admin")
	Map<String, String> admin(Principal principal) {
		return Map.of("user", principal.getName(), "area", "admin");
	}

}
