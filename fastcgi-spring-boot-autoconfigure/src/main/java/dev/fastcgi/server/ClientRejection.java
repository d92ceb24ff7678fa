package dev.fastcgi.server;

/**
 * Why a connection was closed as soon as it was accepted.
 */
public enum ClientRejection {

	/** A TCP peer whose address is not among the allowed clients. */
	ADDRESS,

	/** A UNIX socket peer whose user and group are not among those allowed. */
	PEER_CREDENTIALS

}
