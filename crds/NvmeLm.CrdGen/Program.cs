// Entry point; the commands are added by their issues.
return 0;
