// The images are Linux images, built and run with Linux tools (umoci, skopeo, unshare, chroot): Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
