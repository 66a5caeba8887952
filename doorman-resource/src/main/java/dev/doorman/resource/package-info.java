/** For resource servers: turns a bearer token or a Doorman session into a trusted {@link dev.doorman.authz.Subject}. */
package dev.doorman.resource;
