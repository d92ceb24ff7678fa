package dev.fastcgi.sample;

import java.security.Principal;

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
	AdminArea admin(Principal principal) {
		return new AdminArea(principal.getName(), "admin");
	}

	/** A record, so that the JSON fields come in one order on every run. */
	record AdminArea(String user, String area) {
	}

}
