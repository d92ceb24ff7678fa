package dev.fastcgi.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Receives a multipart upload and reports what arrived, so a client can check it byte for byte. */
@RestController
class UploadController {

	@PostMapping("/upload")
	Upload upload(@RequestParam MultipartFile file) throws IOException, NoSuchAlgorithmException {
		MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
		long size;
		try (InputStream content = new DigestInputStream(file.getInputStream(), sha256)) {
			size = content.transferTo(OutputStream.nullOutputStream());
		}
		return new Upload(file.getOriginalFilename(), size, HexFormat.of().formatHex(sha256.digest()));
	}

	record Upload(String name, long size, String sha256) {
	}

}
