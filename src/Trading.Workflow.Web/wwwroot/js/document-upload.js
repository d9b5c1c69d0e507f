// Uploads for the DocumentUpload component: a file up to `chunkedAboveBytes` goes whole; a larger one in resumable
// chunks (PUT /api/documents/uploads/{id}?offset=N). The upload id is kept in localStorage under the file's name, size
// and date, so choosing the same file again after a lost connection or a reload continues where the server stands.
const header = { 'X-Requested-With': 'document-upload' };

export function init(input, dotnet, options) {
  const onChange = () => {
    const file = input.files && input.files[0];
    if (file) {
      upload(file, dotnet, options).finally(() => { input.value = ''; });
    }
  };
  input.addEventListener('change', onChange);
  return { dispose: () => input.removeEventListener('change', onChange) };
}

function send(method, url, body, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.setRequestHeader('X-Requested-With', header['X-Requested-With']);
    if (body instanceof Blob) {
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    } else if (body !== null) {
      xhr.setRequestHeader('Content-Type', 'application/json');
      body = JSON.stringify(body);
    }
    if (onProgress) {
      xhr.upload.onprogress = e => onProgress(e.loaded);
    }
    xhr.onload = () => {
      let json = null;
      try { json = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { json = null; }
      resolve({ status: xhr.status, json });
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(body);
  });
}

function problem(response, options) {
  return (response.json && (response.json.detail || response.json.title)) || options.failedText;
}

function scopeQuery(options) {
  const q = new URLSearchParams();
  if (options.projectId) q.set('projectId', options.projectId);
  if (options.sectionId) q.set('sectionId', options.sectionId);
  return q;
}

async function upload(file, dotnet, options) {
  if (file.size > options.maxBytes) {
    await dotnet.invokeMethodAsync('Failed', options.tooLargeText);
    return;
  }
  await dotnet.invokeMethodAsync('Started', file.name, file.size);
  let last = 0;
  const progress = sent => {
    const now = Date.now();
    if (now - last > 200 || sent >= file.size) {
      last = now;
      dotnet.invokeMethodAsync('Progress', sent, file.size);
    }
  };
  try {
    const document = file.size <= options.chunkedAboveBytes
      ? await whole(file, options, progress)
      : await chunked(file, options, progress);
    await dotnet.invokeMethodAsync('Completed', document);
  } catch (e) {
    await dotnet.invokeMethodAsync('Failed', e && e.message && e.message !== 'network' ? e.message : options.failedText);
  }
}

async function whole(file, options, progress) {
  const q = scopeQuery(options);
  q.set('name', file.name);
  const response = await send('POST', `/api/documents?${q}`, file, progress);
  if (response.status !== 201) {
    throw new Error(problem(response, options));
  }
  return response.json;
}

async function chunked(file, options, progress) {
  const key = `tw-upload:${file.name}:${file.size}:${file.lastModified}`;
  let state = null;
  const saved = localStorage.getItem(key);
  if (saved) {
    const r = await send('GET', `/api/documents/uploads/${saved}`, null);
    state = r.status === 200 ? r.json : null;
  }
  if (!state) {
    const r = await send('POST', '/api/documents/uploads', {
      fileName: file.name, totalBytes: file.size, projectId: options.projectId || null, sectionId: options.sectionId || null,
    });
    if (r.status !== 201) {
      throw new Error(problem(r, options));
    }
    state = r.json;
    localStorage.setItem(key, state.id);
  }
  let received = state.receivedBytes;
  let failures = 0;
  while (true) {
    progress(received);
    const end = Math.min(received + state.chunkBytes, file.size);
    let r;
    try {
      r = await send('PUT', `/api/documents/uploads/${state.id}?offset=${received}`, file.slice(received, end), loaded => progress(received + loaded));
    } catch {
      // The connection dropped: wait, ask the server where the upload stands, go on from there.
      if (++failures > 8) throw new Error(options.failedText);
      await new Promise(resolve => setTimeout(resolve, 500 * failures));
      const s = await send('GET', `/api/documents/uploads/${state.id}`, null).catch(() => null);
      if (s && s.status === 200) received = s.json.receivedBytes;
      continue;
    }
    if (r.status === 200 || r.status === 409) {
      failures = 0;
      received = r.json.receivedBytes;
      if (r.json.document) {
        localStorage.removeItem(key);
        progress(file.size);
        return r.json.document;
      }
      continue;
    }
    localStorage.removeItem(key);
    throw new Error(problem(r, options));
  }
}
