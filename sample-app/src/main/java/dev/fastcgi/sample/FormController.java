package dev.fastcgi.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Echoes an HTML form post, to show that urlencoded bodies arrive as request parameters. */
@RestController
class FormController {

	/**
	 * Answers JSON: returned as a {@link MultiValueMap} the fields would be written back
	 * urlencoded by Spring's form converter.
	 */
	@PostMapping(path = "/form", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Map<String, List<String>> echo(@RequestParam MultiValueMap<String, String> fields) {
		return new LinkedHashMap<>(fields);
	}

}
