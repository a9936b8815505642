# escape=`
FROM mcr.microsoft.com/windows/servercore
RUN echo hello `
    world
ONBUILD RUN chmod u+s /bin/x
HEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1
SHELL ["powershell", "-Command"]
USER app
